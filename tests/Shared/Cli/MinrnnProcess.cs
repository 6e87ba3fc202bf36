using System.Diagnostics;

namespace MinRnn.Tests.Cli;

/// <summary>Runs the built `minrnn` as a user would: `dotnet minrnn.dll …`.</summary>
public static class MinrnnProcess
{
    /// <param name="defaultInterrupt">Start minrnn with SIGINT at its default disposition (through coreutils' `env
    /// --default-signal=INT`, which execs in place, so the process id stays minrnn's). A process inherits an ignored SIGINT,
    /// and a non-interactive shell ignores it in everything it starts in the background (`dotnet test … &`); .NET then
    /// keeps it ignored and Ctrl+C never reaches Console.CancelKeyPress. Tests of Ctrl+C need this.</param>
    public static Process Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null,
        bool defaultInterrupt = false)
    {
        var psi = new ProcessStartInfo(defaultInterrupt ? "env" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (defaultInterrupt) foreach (var a in new[] { "--default-signal=INT", "dotnet" }) psi.ArgumentList.Add(a);
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        // no debugger/diagnostics pipes: a process a test SIGKILLs would leave them in the temp folder
        psi.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "minrnn.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    public static (int Code, string Out, string Err) Run(params string[] args) => Run(args, null);

    /// <summary>Every process a test starts ends within this, or is killed and the test fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static (int Code, string Out, string Err) Run(string[] args, IDictionary<string, string>? environment, string? workingDirectory = null)
    {
        using var p = Start(args, environment, workingDirectory);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        WaitOrKill(p, $"minrnn {string.Join(' ', args)}");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Waits for a started process (whose redirected output is being read) to end; past Timeout it is killed
    /// with its children and the test fails.</summary>
    public static void WaitOrKill(Process p, string what)
    {
        if (!p.WaitForExit(Timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what}: no exit within {Timeout.TotalMinutes} min (killed)");
        }
        p.WaitForExit();                                                     // and its output read to the end
    }

    public static Task WaitOrKillAsync(Process p, string what) => Task.Run(() => WaitOrKill(p, what));
}
