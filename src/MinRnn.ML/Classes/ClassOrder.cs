using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML.Tokens;

namespace MinRnn.ML.Classes;

/// <summary>The order in which the component writes a classify model's classes — slot j of <c>Score</c> and key j + 1 of
/// <c>PredictedLabel</c> are the model's class <see cref="ModelIndex"/>[j] — and the key values <c>PredictedLabel</c>
/// carries. Either the model's own order (key values: the class names, or the integers for integer labels) or the order
/// of the user's label key column, whose key values are matched to the class names by their text; so ML.NET's
/// multiclass evaluator, which reads slot j as key j + 1, scores the right class whatever order the key was built in.</summary>
internal sealed class ClassOrder
{
    private readonly Action<SchemaDefinition.Column> addKeyValues;
    private readonly Func<MLContext, string, string, IEstimator<ITransformer>> slotToKey;

    private ClassOrder(int[] modelIndex, string[] slotNames, PrimitiveDataViewType valueType, Action<SchemaDefinition.Column> addKeyValues,
        Func<MLContext, string, string, IEstimator<ITransformer>> slotToKey)
    {
        ModelIndex = modelIndex;
        SlotNames = slotNames;
        ValueType = valueType;
        this.addKeyValues = addKeyValues;
        this.slotToKey = slotToKey;
    }

    /// <summary>Slot j holds the model's class ModelIndex[j].</summary>
    public int[] ModelIndex { get; }

    /// <summary>Slot j's class as text (Score's slot names).</summary>
    public string[] SlotNames { get; }

    /// <summary>The item type of PredictedLabel's key values.</summary>
    public PrimitiveDataViewType ValueType { get; }

    public int Count => ModelIndex.Length;

    /// <summary>The model's order; key values are its class names (text), or int64 numbers for integer labels.</summary>
    public static ClassOrder Model(ModelClasses classes)
    {
        var order = Enumerable.Range(0, classes.Count).ToArray();
        return classes.IntegerLabels
            ? Typed(order, classes.Names, NumberDataViewType.Int64, [.. classes.Names.Select(n => long.Parse(n, CultureInfo.InvariantCulture))])
            : Typed(order, classes.Names, TextDataViewType.Instance, [.. classes.Names.Select(n => n.AsMemory())]);
    }

    /// <summary>Whether `column` is a key with key values (whose order can then be matched to the model's classes).</summary>
    public static bool IsKeyWithValues(DataViewSchema.Column column) =>
        column.Type is KeyDataViewType && column.Annotations.Schema.GetColumnOrNull(AnnotationKinds.KeyValues)?.Type is VectorDataViewType { ItemType: PrimitiveDataViewType };

    /// <summary>The order of `label`, a key column with key values that name exactly the model's classes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a key with key values, or other classes than the model's (one line naming both).</exception>
    public static ClassOrder FromLabel(ModelClasses classes, DataViewSchema.Column label)
    {
        var values = label.Annotations.Schema.GetColumnOrNull(AnnotationKinds.KeyValues);
        if (label.Type is not KeyDataViewType key || values?.Type is not VectorDataViewType { ItemType: PrimitiveDataViewType item })
            throw new ArgumentOutOfRangeException(nameof(label),
                $"MinRnn: label column '{label.Name}' is {label.Type}{(label.Type is KeyDataViewType ? " without key values" : "")}; it must be a key column with key values (e.g. from MapValueToKey), so its classes can be matched to the model's");
        var method = typeof(ClassOrder).GetMethod(nameof(FromLabelValues), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(item.RawType);
        try { return (ClassOrder)method.Invoke(null, [classes, label, item, (int)key.Count])!; }
        catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
    }

    private static ClassOrder FromLabelValues<T>(ModelClasses classes, DataViewSchema.Column label, PrimitiveDataViewType item, int count)
    {
        var buffer = default(VBuffer<T>);
        label.GetKeyValues(ref buffer);
        var values = buffer.DenseValues().Take(count).ToArray();
        var names = values.Select(v => Text(v)).ToArray();
        var index = classes.Names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var extra = names.Where(n => !index.ContainsKey(n)).ToList();
        var missing = classes.Names.Where(n => !names.Contains(n, StringComparer.Ordinal)).ToList();
        if (extra.Count > 0 || missing.Count > 0 || names.Distinct().Count() != names.Length)
            throw new ArgumentOutOfRangeException(nameof(label),
                $"MinRnn: label column '{label.Name}' has the classes [{string.Join(", ", names)}] but the model's are [{string.Join(", ", classes.Names)}]" +
                (missing.Count > 0 ? $"; not in the label: {string.Join(", ", missing)}" : "") +
                (extra.Count > 0 ? $"; not in the model: {string.Join(", ", extra)}" : ""));
        // ML.NET's value mapping uses uint and ulong values as the keys themselves: such key values become text
        return typeof(T) == typeof(uint) || typeof(T) == typeof(ulong)
            ? Typed([.. names.Select(n => index[n])], names, TextDataViewType.Instance, [.. names.Select(n => n.AsMemory())])
            : Typed([.. names.Select(n => index[n])], names, item, values);
    }

    /// <summary>A key value as the text it is matched by: text as it is, numbers in the invariant culture (3, 2.5).</summary>
    public static string Text<T>(T value) => value is ReadOnlyMemory<char> text ? text.ToString() : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    private static ClassOrder Typed<T>(int[] order, string[] names, PrimitiveDataViewType item, T[] values) =>
        new(order, names, item,
            column => column.AddAnnotation(AnnotationKinds.KeyValues, new VBuffer<T>(values.Length, values), new VectorDataViewType(item, values.Length)),
            (ml, output, input) => ml.Transforms.Conversion.MapValue(output, values.Select((v, j) => new KeyValuePair<long, T>(j, v)), input, treatValuesAsKeyType: true));

    /// <summary>Whether `label`, a column of the data the fitted component is applied to, if it is a key with key values,
    /// has the fitted classes in the fitted order (Score and PredictedLabel follow that order); a one-line exception
    /// otherwise. Other label columns are not read.</summary>
    public void CheckSameOrder(DataViewSchema.Column label)
    {
        if (!IsKeyWithValues(label)) return;
        var now = FromLabelTexts(label);
        if (!now.SequenceEqual(SlotNames, StringComparer.Ordinal))
            throw new ArgumentOutOfRangeException(nameof(label),
                $"MinRnn: label column '{label.Name}' has the key values [{string.Join(", ", now)}], but the component was fitted with [{string.Join(", ", SlotNames)}]; build the key the same way (one MapValueToKey fitted once) or fit again");
    }

    private static string[] FromLabelTexts(DataViewSchema.Column label)
    {
        var (key, item) = ((KeyDataViewType)label.Type, ((VectorDataViewType)label.Annotations.Schema[AnnotationKinds.KeyValues].Type).ItemType);
        var method = typeof(ClassOrder).GetMethod(nameof(Texts), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(item.RawType);
        return (string[])method.Invoke(null, [label, (int)key.Count])!;
    }

    private static string[] Texts<T>(DataViewSchema.Column label, int count)
    {
        var buffer = default(VBuffer<T>);
        label.GetKeyValues(ref buffer);
        return [.. buffer.DenseValues().Take(count).Select(v => Text(v))];
    }

    /// <summary>PredictedLabel's declaration for schema propagation: a key of <see cref="Count"/> values with these key values.</summary>
    public void AddKeyValues(SchemaDefinition.Column column) => addKeyValues(column);

    /// <summary>ML.NET's value mapping from the slot index (int64 scalar `input`) to PredictedLabel (`output`): slot j → key
    /// j + 1 of <see cref="Count"/> keys, whose key values are this order's (given as the values of slots 0 … C − 1, in
    /// order, with treatValuesAsKeyType, which numbers distinct values by first occurrence and saves them with the model).</summary>
    public IEstimator<ITransformer> SlotToKey(MLContext ml, string output, string input) => slotToKey(ml, output, input);
}
