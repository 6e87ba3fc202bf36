using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MinRnn.Runtime;

/// <summary>Caps oneDNN (libtorch's mkldnn) at AVX2 before its first primitive. libtorch 2.10 bundles oneDNN 3.7.1,
/// whose `brgemm:avx512_core` f32 LSTM (the path nn.LSTM takes on CPU) returns wrong outputs in inference
/// (forward_inference, under no_grad) for hidden sizes ≤ 16: relative error 0.3–1.5 against a float64 loop on an
/// AVX-512 AMD EPYC, while the AVX2 kernel agrees to 1e-7. oneDNN reads ONEDNN_MAX_CPU_ISA once, from the native
/// environment, so it is set here with setenv when MinRnn.Core is first used (module initializer), which covers the
/// CLI, test hosts and library users alike. A value the user set already is kept (e.g. ONEDNN_MAX_CPU_ISA=ALL
/// restores the AVX-512 kernels).</summary>
public static partial class OneDnnIsa
{
    public const string Variable = "ONEDNN_MAX_CPU_ISA";

#pragma warning disable CA2255 // a library module initializer is intended: the cap must precede oneDNN's first use
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => Apply();

    /// <summary>True when MinRnn set the cap in this process (the user had not set the variable).</summary>
    public static bool SetByMinRnn { get; private set; }

    /// <summary>True when the cap was set by this call.</summary>
    public static bool Apply()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64 || Environment.GetEnvironmentVariable(Variable) is not null)
            return false;
        SetByMinRnn = true;
        Environment.SetEnvironmentVariable(Variable, "AVX2");              // Windows: oneDNN reads the process environment
        if (OperatingSystem.IsWindows()) return true;
        try
        {
            return setenv(Variable, "AVX2", 0) == 0;                         // Unix: the managed copy is not libc's environ
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
