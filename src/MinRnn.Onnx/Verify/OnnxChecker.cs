using System.Diagnostics;

namespace MinRnn.Onnx.Verify;

/// <summary>onnx.checker.check_model(path, full_check=True) through Debian's python3-onnx (at /usr/bin/python3, not a
/// pyenv python3 on PATH). Null result: the checker is not installed.</summary>
public static class OnnxChecker
{
    public const string Python = "/usr/bin/python3";

    private const string Script = """
        import sys, onnx
        bad = 0
        for p in sys.argv[1:]:
            try:
                onnx.checker.check_model(p, full_check=True)
                print("ok", p)
            except Exception as e:
                bad += 1
                print("FAIL", p, str(e).replace("\n", " ")[:2000])
        sys.exit(1 if bad else 0)
        """;

    public static bool Available()
    {
        if (!File.Exists(Python)) return false;
        var (code, _) = RunPython(["-c", "import onnx"]);
        return code == 0;
    }

    /// <summary>Checks every file in one Python process; returns (all passed, the checker's output).</summary>
    public static (bool Passed, string Output) Check(params string[] paths)
    {
        var (code, output) = RunPython(["-c", Script, .. paths]);
        return (code == 0, output);
    }

    private static (int Code, string Output) RunPython(string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }
}
