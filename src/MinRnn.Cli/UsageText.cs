using MinRnn.Cells;
using MinRnn.Onnx.Export;
using MinRnn.Tasks;

namespace MinRnn.Cli;

/// <summary>The kind and task lists of the commands' help, read from the registries (CellKinds, TaskRegistry): a new
/// kind or task appears in every usage text without an edit there.</summary>
public static class UsageText
{
    /// <summary>Every cell kind, e.g. "mingru,minlstm,…" (separator ",") or "mingru|minlstm|…" (separator "|").</summary>
    public static string Kinds(string separator = ",") => KindsWhere(_ => true, separator);

    /// <summary>The values an enum option takes, as Common.ParseEnum reads them: "auto|fused|log|sequential".</summary>
    public static string Choices<T>() where T : struct, Enum => string.Join("|", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));

    /// <summary>Every task name (or with `generatedOnly` those MinRnn generates, not read from files) joined by "|", broken
    /// after a "|" before a line would pass `width` characters, the first line counted from column `indent.Length` (where the
    /// list starts in the help); each further line starts with `indent`.</summary>
    public static string Tasks(int width, string indent, bool generatedOnly = false)
    {
        var lines = new List<string> { "" };
        foreach (var name in TaskRegistry.All.Where(k => !generatedOnly || k.Quick is not IFileTask).Select(k => k.Name))
        {
            var piece = lines[^1].Length == 0 || lines.Count > 1 && lines[^1] == indent ? name : "|" + name;
            if ((lines.Count == 1 ? indent.Length : 0) + lines[^1].Length + piece.Length > width && lines[^1].Trim().Length > 0)
            {
                lines[^1] += "|";
                lines.Add(indent);
                piece = name;
            }
            lines[^1] += piece;
        }
        return string.Join("\n", lines);
    }

    /// <summary>The kinds the registry says `which` of, joined by `separator`: "mingru|minlstm|mamba".</summary>
    public static string KindsWhere(Func<CellKind, bool> which, string separator = "|") =>
        string.Join(separator, CellKinds.All.Where(which).Select(k => k.Name));

    /// <summary>The tasks the registry says `which` of (their quick settings), joined by `separator`.</summary>
    public static string TasksWhere(Func<ISequenceTask, bool> which, string separator = ", ") =>
        string.Join(separator, TaskRegistry.All.Where(k => which(k.Quick)).Select(k => k.Name));

    /// <summary>One line per distinct set of task options (ISequenceTask.UsageOptions), the tasks that share it named
    /// first ("classify, label: --data …"); continuation lines line up after the names. Every line but the first starts
    /// with `indent`. `generatedOnly`: the tasks MinRnn generates, not read from files.</summary>
    public static string TaskOptions(string indent, bool generatedOnly = false)
    {
        var groups = TaskRegistry.All.Where(k => k.Quick.UsageOptions is not null && (!generatedOnly || k.Quick is not IFileTask))
            .GroupBy(k => k.Quick.UsageOptions!);
        return string.Join("\n" + indent, groups.Select(g =>
        {
            var names = string.Join(", ", g.Select(k => k.Name)) + ": ";
            return names + g.Key.Replace("\n", "\n" + indent + new string(' ', names.Length));
        }));
    }

    /// <summary>The ONNX forms of every kind with an exporter, kinds of the same forms together, defaults first:
    /// "mingru, minlstm, mamba: scan, chunked; gru, lstm: native; …".</summary>
    public static string OnnxForms() => string.Join("; ", CellKinds.Names.Where(OnnxExporter.Exports)
        .GroupBy(k => string.Join(", ", OnnxExporter.Forms(k))).Select(g => $"{string.Join(", ", g)}: {g.Key}"));
}
