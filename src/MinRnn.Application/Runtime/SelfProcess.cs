using System.Diagnostics;
using System.Reflection;

namespace MinRnn.Runtime;

/// <summary>Starts this same program (`minrnn`, as `dotnet minrnn.dll` or the apphost) with other arguments: a sweep's
/// training runs and a benchmark's cases each run in a process of their own.</summary>
public static class SelfProcess
{
    public static Process Start(IEnumerable<string> args, bool redirect = true, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = redirect, RedirectStandardError = redirect, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        // `dotnet minrnn.dll …` runs the host with the assembly as its first argument; the apphost (`minrnn`, as
        // `dotnet run` starts it) is the program itself
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            psi.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start minrnn");
    }
}
