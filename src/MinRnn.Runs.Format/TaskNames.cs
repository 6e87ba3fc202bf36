namespace MinRnn.Runs;

/// <summary>Task names as files spell them. Selective copying is `selective-copy` on the command line and
/// `selective_copying` in the files of version 1, which every later version keeps writing for it (its summary block,
/// the ONNX metadata) so that old readers keep reading new runs.</summary>
public static class TaskNames
{
    public const string SelectiveCopy = "selective-copy";

    /// <summary>Selective copying's name in run files and ONNX metadata.</summary>
    public const string SelectiveCopyingFile = "selective_copying";

    /// <summary>The name as `--task` spells it.</summary>
    public static string Canonical(string name) => name == SelectiveCopyingFile ? SelectiveCopy : name;
}
