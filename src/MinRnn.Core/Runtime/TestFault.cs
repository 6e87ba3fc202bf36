namespace MinRnn.Runtime;

/// <summary>A test-only hook, like KillPoint: with MINRNN_TEST_FAULT=POINT the code at that named point goes wrong on
/// purpose, so tests can prove what a failure there leaves behind. Points: `export.verify` (VerifiedExport changes
/// the TorchSharp weights after writing the ONNX file, so verification fails). Unset, it costs one string comparison.</summary>
public static class TestFault
{
    public const string Variable = "MINRNN_TEST_FAULT";

    private static readonly string? Target = Environment.GetEnvironmentVariable(Variable);

    public static bool At(string point) => Target == point;
}
