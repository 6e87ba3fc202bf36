using System.Runtime.InteropServices;
using System.Text;

namespace MinRnn.Runtime;

/// <summary>Writes that survive a power cut or SIGKILL: data reach the disk (fsync) before a rename publishes them, and
/// the rename itself is made durable by an fsync of the folder (POSIX: a rename lives in the directory's data).</summary>
public static partial class Durable
{
    /// <summary>Writes a command's output files into OUT/STAGE/ first and moves them into OUT only once all exist (the file
    /// `last` moved last: it marks a complete output), so a failure leaves OUT's earlier files as they were.</summary>
    public static T WriteAside<T>(string outDir, string stage, Func<string, T> write, string last)
    {
        var dir = Path.Combine(outDir, stage);
        DeletePath(dir);
        Directory.CreateDirectory(dir);
        try
        {
            var result = write(dir);
            foreach (var file in Directory.GetFiles(dir).OrderBy(f => Path.GetFileName(f) == last))
                File.Move(file, Path.Combine(outDir, Path.GetFileName(file)), overwrite: true);
            SyncFolder(outDir);
            return result;
        }
        finally
        {
            DeletePath(dir);
        }
    }

    /// <summary>Deletes a file, or a folder with everything in it; nothing happens when the path does not exist.</summary>
    public static void DeletePath(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else if (File.Exists(path)) File.Delete(path);
    }

    /// <summary>Writes FILE.tmp, fsyncs it, renames it over FILE and fsyncs the folder: readers see the old or the new
    /// file, never half of one, also after a crash.</summary>
    public static void WriteAtomic(string path, string text) => WriteAtomic(path, new UTF8Encoding(false).GetBytes(text));

    public static void WriteAtomic(string path, byte[] bytes)
    {
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        SyncFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Appends a line and fsyncs it before returning.</summary>
    public static void AppendLine(string path, string line)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write);
        file.Write(new UTF8Encoding(false).GetBytes(line + "\n"));
        file.Flush(flushToDisk: true);
    }

    /// <summary>Publishes the complete file `temp` under `path` only if no file has that name (POSIX link(2), atomic: of
    /// two callers racing for one name exactly one wins), then removes `temp`. False when `path` exists.</summary>
    public static bool PublishExclusive(string temp, string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            try { File.Move(temp, path, overwrite: false); return true; }
            catch (IOException) when (File.Exists(path)) { File.Delete(temp); return false; }
        }
        var won = link(temp, path) == 0;
        var errno = Marshal.GetLastPInvokeError();
        File.Delete(temp);
        if (!won && errno != FileExistsErrno) throw new IOException($"{path}: cannot create it (errno {errno})");
        if (won) SyncFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return won;
    }

    private const int FileExistsErrno = 17;                            // EEXIST

    /// <summary>fsync of a file written by someone else (e.g. TorchSharp's save).</summary>
    public static void SyncFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Flush(flushToDisk: true);
    }

    /// <summary>fsync of a folder, so the names created, renamed or deleted in it are on disk. Linux only (elsewhere the
    /// file system gives no portable way and this does nothing).</summary>
    public static void SyncFolder(string dir)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = open(dir, ReadOnlyDirectory);
        if (fd < 0) throw new IOException($"{dir}: cannot open the folder to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (fsync(fd) != 0) throw new IOException($"{dir}: fsync of the folder failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally { close(fd); }
    }

    private const int ReadOnlyDirectory = 0x10000;                     // O_RDONLY | O_DIRECTORY (Linux, x64 and arm64)

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int link(string existing, string name);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);
}
