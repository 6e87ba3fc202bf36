using System.Runtime.CompilerServices;

namespace MinRnn.Tests;

/// <summary>Loads the libstdc++ shim before any test touches TorchSharp (see MinRnn.Runtime.GlibcxxShim).</summary>
internal static class NativeSetup
{
    [ModuleInitializer]
    internal static void Initialize() => MinRnn.Runtime.GlibcxxShim.Load();
}
