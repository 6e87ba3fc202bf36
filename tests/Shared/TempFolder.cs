namespace MinRnn.Tests;

/// <summary>A fresh folder under the system temp folder, removed with everything in it when disposed: every test that
/// writes files takes one with `using`, so a run of the suite leaves nothing behind.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "minrnn-tests", Guid.NewGuid().ToString("N"))).FullName;

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
