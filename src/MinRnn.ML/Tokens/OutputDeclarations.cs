using System.ComponentModel;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MinRnn.ML.Tokens;

#pragma warning disable CS1591 // plumbing for ML.NET's reflection
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class NoColumns;

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DeclaredColumn<T> { public T[] Values { get; set; } = []; }

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DeclaredKey { public uint Value { get; set; } }
#pragma warning restore CS1591

/// <summary>Schema propagation without ONNX Runtime: a never-fitted custom mapping per output declares its column, so
/// <c>GetOutputSchema(SchemaShape)</c> opens no session and writes no temporary model file (ML.NET's OnnxTransformer copies
/// a model given as bytes to a temporary file that only its Dispose removes).</summary>
internal static class OutputDeclarations
{
    /// <summary>A vector column; with slot names (the classify Score).</summary>
    public static IEstimator<ITransformer> Declare(TransformsCatalog transforms, string name, DataViewType type, IReadOnlyList<string>? slotNames = null)
    {
        var item = ((VectorDataViewType)type).ItemType;
        return item == NumberDataViewType.Int64 ? Declare<long>(transforms, name, type, slotNames) : Declare<float>(transforms, name, type, slotNames);
    }

    private static IEstimator<ITransformer> Declare<T>(TransformsCatalog transforms, string name, DataViewType type, IReadOnlyList<string>? slotNames)
    {
        var output = SchemaDefinition.Create(typeof(DeclaredColumn<T>));
        output[0].ColumnName = name;
        output[0].ColumnType = type;
        if (slotNames is not null)
            output[0].AddAnnotation(AnnotationKinds.SlotNames, Text(slotNames), new VectorDataViewType(TextDataViewType.Instance, slotNames.Count));
        return transforms.CustomMapping<NoColumns, DeclaredColumn<T>>((_, _) => { }, contractName: null, outputSchemaDefinition: output);
    }

    /// <summary>A key column of one value per name (the classify PredictedLabel) with the names as key values.</summary>
    public static IEstimator<ITransformer> DeclareKey(TransformsCatalog transforms, string name, IReadOnlyList<string> names)
    {
        var output = SchemaDefinition.Create(typeof(DeclaredKey));
        output[0].ColumnName = name;
        output[0].ColumnType = new KeyDataViewType(typeof(uint), names.Count);
        output[0].AddAnnotation(AnnotationKinds.KeyValues, Text(names), new VectorDataViewType(TextDataViewType.Instance, names.Count));
        return transforms.CustomMapping<NoColumns, DeclaredKey>((_, _) => { }, contractName: null, outputSchemaDefinition: output);
    }

    private static VBuffer<ReadOnlyMemory<char>> Text(IReadOnlyList<string> names) => new(names.Count, [.. names.Select(s => s.AsMemory())]);
}
