using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MinRnn.Runtime;

/// <summary>TorchSharp's libLibTorchSharp.so calls <c>std::ios_base_library_init()</c> (GLIBCXX_3.4.32), which
/// Debian 12 and Ubuntu 22.04's libstdc++ lack. The build (build/fix-glibcxx.sh) marks that version requirement
/// weak and compiles libminrnn_glibcxx_shim.so, which defines the symbol, next to the native library; this class
/// loads the shim into the global symbol scope (dlopen RTLD_NOW | RTLD_GLOBAL) before TorchSharp loads its
/// library, so the call binds to it. It runs as the module initialiser of MinRnn.Core, and every MinRnn
/// assembly that uses TorchSharp calls <see cref="Load"/> from its own. A no-op where the shim was not built
/// (new libstdc++, other operating systems). See docs/PLATFORM.md.</summary>
public static partial class GlibcxxShim
{
    public const string FileName = "libminrnn_glibcxx_shim.so";
    private const int RTLD_NOW = 2, RTLD_GLOBAL = 0x100;
    private static int loaded;

    /// <summary>Loads the shim once; true when it is in the process.</summary>
    public static bool Load()
    {
        if (Volatile.Read(ref loaded) == 1) return true;
        if (!OperatingSystem.IsLinux()) return false;
        var baseDir = AppContext.BaseDirectory;
        var path = new[] { Path.Combine(baseDir, "runtimes", "linux-x64", "native", FileName), Path.Combine(baseDir, FileName) }
            .FirstOrDefault(File.Exists);
        if (path is null) return false;
        try
        {
            if (dlopen(path, RTLD_NOW | RTLD_GLOBAL) == IntPtr.Zero) return false;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;                                                   // not glibc
        }
        Volatile.Write(ref loaded, 1);
        return true;
    }

#pragma warning disable CA2255 // deliberate: the shim must be in the process before TorchSharp's first call
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => Load();

    [LibraryImport("libdl.so.2", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr dlopen(string file, int mode);
}
