using System.Diagnostics;

namespace MinRnn.Tests.Cli;

/// <summary>Runs the built `minrnn` as a user would: `dotnet minrnn.dll …`.</summary>
public static class MinrnnProcess
{
    public static Process Start(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "minrnn.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    public static (int Code, string Out, string Err) Run(params string[] args) => Run(args, null);

    /// <summary>Every process a test starts ends within this, or is killed and the test fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static (int Code, string Out, string Err) Run(string[] args, IDictionary<string, string>? environment)
    {
        using var p = Start(args, environment);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(Timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"minrnn {string.Join(' ', args)}: no exit within {Timeout.TotalMinutes} min (killed)");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
