namespace MinRnn.Runtime;

/// <summary>A file or run folder the user named is corrupt, truncated or foreign (not what the option expects: not
/// ONNX, not safetensors, not a run, a checkpoint of another model). Bad input, not a failure of the work: the CLI
/// prints the message (one line, naming the path and the problem) and exits with code 2. Thrown where the file is
/// read. (Failures of the work itself — an I/O error, a failed verification — are other exceptions: exit code 1.)</summary>
public class BadFileException(string message, Exception? inner = null) : Exception(message, inner);
