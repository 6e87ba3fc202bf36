using System.ComponentModel;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MinRnn.ML.Tokens;

#pragma warning disable CS1591 // plumbing for ML.NET's reflection
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class NoColumns;

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DeclaredColumn<T> { public T[] Values { get; set; } = []; }
#pragma warning restore CS1591

/// <summary>Schema propagation without ONNX Runtime: a never-fitted custom mapping per output declares its column, so
/// <c>GetOutputSchema(SchemaShape)</c> opens no session and writes no temporary model file (ML.NET's OnnxTransformer copies
/// a model given as bytes to a temporary file that only its Dispose removes).</summary>
internal static class OutputDeclarations
{
    public static IEstimator<ITransformer> Declare(MLContext ml, string name, DataViewType type)
    {
        var item = ((VectorDataViewType)type).ItemType;
        return item == NumberDataViewType.Int64 ? Declare<long>(ml, name, type) : Declare<float>(ml, name, type);
    }

    private static IEstimator<ITransformer> Declare<T>(MLContext ml, string name, DataViewType type)
    {
        var output = SchemaDefinition.Create(typeof(DeclaredColumn<T>));
        output[0].ColumnName = name;
        output[0].ColumnType = type;
        return ml.Transforms.CustomMapping<NoColumns, DeclaredColumn<T>>((_, _) => { }, contractName: null, outputSchemaDefinition: output);
    }
}
