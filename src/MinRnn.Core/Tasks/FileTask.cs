namespace MinRnn.Tasks;

/// <summary>The files a file-backed task is built from: `--data`, and optionally `--eval-data` and `--vocab-from`; Options holds
/// the values of the task's other <see cref="IFileTask.ExtraFileOptions"/> given on the command line (option → value).</summary>
public sealed record TaskFiles(string Data, string? EvalData = null, string? VocabFrom = null, IReadOnlyDictionary<string, string>? Options = null);

/// <summary>A task whose rows come from the user's files instead of a generator (char-lm, classify, label). Its
/// batches of a split are fixed by the files, not by the seed. Errors are ArgumentExceptions whose message starts
/// with the option's JSON name (data:, eval_data:, vocab_from:) and names the file.</summary>
public interface IFileTask : ISequenceTask
{
    /// <summary>What --data holds, for the error when it is missing (e.g. "a UTF-8 text file").</summary>
    string DataDescription { get; }

    /// <summary>The options this task reads besides --data and --eval-data (char-lm: --vocab-from).</summary>
    IReadOnlyList<string> ExtraFileOptions { get; }

    /// <summary>This task, its other options kept, over the files: vocabulary, classes and splits built from them.</summary>
    IFileTask WithFiles(TaskFiles files);

    /// <summary>Reads the files and checks them against the options, so a command fails before it writes anything.</summary>
    void CheckData();

    /// <summary>The trained task scored on another file (`eval --data FILE`): vocabulary and classes kept.</summary>
    IFileTask WithEvalData(string path);

    /// <summary>Files the task writes into a run folder beside config.json (name, text), e.g. which rows were held out.</summary>
    IEnumerable<(string Name, string Text)> RunFiles() => [];
}
