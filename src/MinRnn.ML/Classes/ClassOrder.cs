using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML.Tokens;

namespace MinRnn.ML.Classes;

/// <summary>The order in which the component writes a classify model's classes — slot j of <c>Score</c> and key j + 1 of
/// <c>PredictedLabel</c> are the model's class <see cref="ModelIndex"/>[j] — and their names. Either the model's own
/// order, or the order of the user's label key column, whose key values are matched to the class names by their text;
/// so ML.NET's multiclass evaluator, which reads slot j as key j + 1, scores the right class whatever order the key was
/// built in.</summary>
internal sealed class ClassOrder
{
    private ClassOrder(int[] modelIndex, string[] slotNames)
    {
        ModelIndex = modelIndex;
        SlotNames = slotNames;
    }

    /// <summary>Slot j holds the model's class ModelIndex[j].</summary>
    public int[] ModelIndex { get; }

    /// <summary>Slot j's class as text: Score's slot names and PredictedLabel's key values.</summary>
    public string[] SlotNames { get; }

    public int Count => ModelIndex.Length;

    /// <summary>The model's order, named by its class names (integer labels: their decimal form).</summary>
    public static ClassOrder Model(ModelClasses classes) => new([.. Enumerable.Range(0, classes.Count)], classes.Names);

    /// <summary>Whether `column` is a key with key values (whose order can then be matched to the model's classes).</summary>
    public static bool IsKeyWithValues(DataViewSchema.Column column) =>
        column.Type is KeyDataViewType && column.Annotations.Schema.GetColumnOrNull(AnnotationKinds.KeyValues)?.Type is VectorDataViewType { ItemType: PrimitiveDataViewType };

    /// <summary>The order of `label`, a key column with key values that name exactly the model's classes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Other classes than the model's (one line naming both).</exception>
    public static ClassOrder FromLabel(ModelClasses classes, DataViewSchema.Column label)
    {
        var names = Texts(label);
        var index = classes.Names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var extra = names.Where(n => !index.ContainsKey(n)).ToList();
        var missing = classes.Names.Where(n => !names.Contains(n, StringComparer.Ordinal)).ToList();
        if (extra.Count > 0 || missing.Count > 0 || names.Distinct().Count() != names.Length)
            throw new ArgumentOutOfRangeException(nameof(label),
                $"MinRnn: label column '{label.Name}' has the classes [{string.Join(", ", names)}] but the model's are [{string.Join(", ", classes.Names)}]" +
                (missing.Count > 0 ? $"; not in the label: {string.Join(", ", missing)}" : "") +
                (extra.Count > 0 ? $"; not in the model: {string.Join(", ", extra)}" : ""));
        return new([.. names.Select(n => index[n])], names);
    }

    /// <summary>Whether `label`, a column of the data the fitted component is applied to, if it is a key with key values,
    /// has the fitted classes in the fitted order (Score and PredictedLabel follow that order); a one-line exception
    /// otherwise. Other label columns are not read.</summary>
    public void CheckSameOrder(DataViewSchema.Column label)
    {
        if (!IsKeyWithValues(label)) return;
        var now = Texts(label);
        if (!now.SequenceEqual(SlotNames, StringComparer.Ordinal))
            throw new ArgumentOutOfRangeException(nameof(label),
                $"MinRnn: label column '{label.Name}' has the key values [{string.Join(", ", now)}], but the component was fitted with [{string.Join(", ", SlotNames)}]; " +
                "build the key the same way (one MapValueToKey fitted once) or fit again");
    }

    /// <summary>A key column's values as text: text as it is, numbers in the invariant culture (3, 2.5).</summary>
    private static string[] Texts(DataViewSchema.Column label)
    {
        var item = ((VectorDataViewType)label.Annotations.Schema[AnnotationKinds.KeyValues].Type).ItemType;
        var method = typeof(ClassOrder).GetMethod(nameof(TextsOf), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(item.RawType);
        return (string[])method.Invoke(null, [label, (int)((KeyDataViewType)label.Type).Count])!;
    }

    private static string[] TextsOf<T>(DataViewSchema.Column label, int count)
    {
        var buffer = default(VBuffer<T>);
        label.GetKeyValues(ref buffer);
        return [.. buffer.DenseValues().Take(count).Select(v => v is ReadOnlyMemory<char> text ? text.ToString() : Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")];
    }

    /// <summary>ML.NET's value mapping from the slot index (int64 scalar `input`) to PredictedLabel (`output`): slot j → key
    /// j + 1 of <see cref="Count"/> keys whose key values are <see cref="SlotNames"/> (treatValuesAsKeyType numbers distinct
    /// values by first occurrence, keeps key values as text and saves them with the model).</summary>
    public IEstimator<ITransformer> SlotToKey(TransformsCatalog transforms, string output, string input) =>
        transforms.Conversion.MapValue(output, SlotNames.Select((name, j) => new KeyValuePair<long, string>(j, name)), input, treatValuesAsKeyType: true);
}
