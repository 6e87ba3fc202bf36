using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML;
using Onnx;

namespace MinRnn.ML.Tests.Packages;

/// <summary>A .NET user's first contact with MinRnn.ML: a fresh console project outside the repository (`dotnet new
/// console`), its own nuget.config adding the packed feed to the inherited sources, `dotnet add package MinRnn.ML`, and
/// Packages/Consumer/Program.cs applying the shipped models in an ML.NET pipeline. Its predictions must equal
/// `minrnn predict --onnx` on the same rows, its restored graph must hold no TorchSharp or libtorch, and a file that is
/// not a MinRnn model must give the component's own one-line error with exit code 2.</summary>
public class PackageConsumerTests
{
    [PackageFeedFact]
    public void ConsumerOfThePackagePredictsAsMinrnnPredictWithoutTorchSharp()
    {
        var version = PackageFeed.Version("MinRnn.ML");
        using var tmp = new TempFolder();
        var project = Directory.CreateDirectory(tmp["Consumer"]).FullName;
        // A NuGet cache of its own, so no MinRnn.ML of the same version cached earlier is taken; the machine's cache
        // serves the other packages read-only (a fallback folder), so ONNX Runtime's ~900 MB is not fetched again.
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = tmp["packages"] };
        Dotnet(project, env, "new", "console", "--name", "Consumer", "--output", ".", "--no-restore");
        File.WriteAllText(Path.Combine(project, "nuget.config"), NuGetConfig(PackageFeed.Folder!, MachinePackagesFolder()));
        Dotnet(project, env, "add", "package", "MinRnn.ML", "--version", version);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Packages", "Consumer", "Program.cs"), Path.Combine(project, "Program.cs"), overwrite: true);
        Dotnet(project, env, "build", "-c", "Release");
        AssertRestoredFromTheFeed(Path.Combine(project, "obj", "project.assets.json"), version);

        var rows = tmp["rows.json"];
        File.WriteAllText(rows, JsonSerializer.Serialize(Rows()));
        var consumer = Path.Combine(project, "bin", "Release", "net10.0", "Consumer.dll");
        var (code, output) = Dotnet(project, env, [consumer, rows, .. Repo.Cells.Select(Repo.Model)]);
        var printed = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(l => l.GetProperty("model").GetString()!, l => l.GetProperty("predictions").Deserialize<long[][]>()!);
        Assert.Equal(Repo.Cells.Select(c => c + ".onnx"), printed.Keys);
        foreach (var cell in Repo.Cells)
        {
            var reference = tmp[cell + ".json"];
            var (cliCode, cliOutput) = SampleTests.Minrnn("predict", "--onnx", Repo.Model(cell), "--input", rows, "--out", reference);
            Assert.True(cliCode == 0, cliOutput);
            var expected = JsonDocument.Parse(File.ReadAllText(reference)).RootElement.GetProperty("predictions").Deserialize<long[][]>()!;
            Assert.Equal(Rows().Select(r => r.Length), expected.Select(p => p.Length));
            Assert.Equal(expected, printed[cell + ".onnx"]);
        }

        // Bad input through the package: the component's own message (as this process gets it), one line, exit code 2.
        var foreign = tmp["foreign.onnx"];
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Repo.Model("mingru")));
        model.MetadataProps.Clear();
        File.WriteAllBytes(foreign, model.ToByteArray());
        var message = Assert.Throws<InvalidDataException>(() => new MLContext().Transforms.ApplySequenceModel(foreign, "Tokens", "Predictions")).Message;
        Assert.Contains("not a MinRnn model", message);
        var (badCode, badOutput) = Dotnet(project, env, [consumer, rows, foreign], expectSuccess: false);
        Assert.Equal(2, badCode);
        Assert.Equal(message, badOutput.TrimEnd('\n'));
    }

    /// <summary>Rows of the pipeline sample's data (length 68) and two shorter prefixes: rows of different lengths.</summary>
    private static long[][] Rows()
    {
        var csv = File.ReadLines(Path.Combine(Repo.Root, "samples", "MinRnn.Samples.Pipeline", "data", "selective-copy.csv")).Skip(1).Take(6)
            .Select(line => line.Split(',')[0].Split(' ').Select(long.Parse).ToArray()).ToList();
        return [.. csv, csv[0][..20], csv[1][..1]];
    }

    private static string NuGetConfig(string feed, string machinePackages) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="minrnn-local" value="{feed}" />
          </packageSources>
          <fallbackPackageFolders>
            <add key="machine-packages" value="{machinePackages}" />
          </fallbackPackageFolders>
        </configuration>
        """;

    /// <summary>The machine's NuGet cache, as NuGet itself names it.</summary>
    private static string MachinePackagesFolder()
    {
        var (_, output) = Dotnet(Repo.Root, new Dictionary<string, string>(), "nuget", "locals", "global-packages", "--list");
        const string prefix = "global-packages: ";
        var line = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(prefix));
        return line[prefix.Length..];
    }

    /// <summary>The consumer's restored graph: MinRnn.ML and MinRnn.Onnx.Format byte for byte from the feed just
    /// packed (not a cached package of the same version), and no TorchSharp, libtorch or CPU ONNX Runtime.</summary>
    private static void AssertRestoredFromTheFeed(string assetsFile, string version)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(assetsFile));
        var libraries = assets.RootElement.GetProperty("libraries").EnumerateObject().ToDictionary(l => l.Name, l => l.Value);
        var mlNet = System.Xml.Linq.XDocument.Load(Path.Combine(Repo.Root, "src", "MinRnn.ML", "MinRnn.ML.csproj")).Descendants("PackageReference")
            .Single(e => (string?)e.Attribute("Include") == "Microsoft.ML").Attribute("Version")!.Value;   // the version the component references
        Assert.Contains($"Microsoft.ML/{mlNet}", libraries.Keys);
        foreach (var id in PackageFeed.Ids)
        {
            Assert.True(libraries.TryGetValue($"{id}/{version}", out var library), $"{id} {version} was not restored");
            var packed = Convert.ToBase64String(SHA512.HashData(File.ReadAllBytes(PackageFeed.Package(id))));
            Assert.True(packed == library.GetProperty("sha512").GetString(),
                $"{id} {version} was restored from another copy than the feed's (a cached package of the same version?)");
        }
        Assert.DoesNotContain(libraries.Keys, k => k.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase)
                                                  || k.Contains("libtorch", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(libraries.Keys, k => k.StartsWith("Microsoft.ML.OnnxRuntime/"));
    }

    private static (int ExitCode, string Output) Dotnet(string workingDirectory, Dictionary<string, string> env, params string[] args) =>
        Dotnet(workingDirectory, env, args, expectSuccess: true);

    /// <summary>Runs dotnet with the consumer's environment; 5 minutes at most (a restore may reach the default source).</summary>
    private static (int ExitCode, string Output) Dotnet(string workingDirectory, Dictionary<string, string> env, string[] args, bool expectSuccess)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in env) start.Environment[k] = v;
        var (code, output) = SampleTests.Finish(start, "dotnet " + args[0], minutes: 5);
        if (expectSuccess) Assert.True(code == 0, $"dotnet {string.Join(' ', args)}: exit code {code}\n{output}");
        return (code, output);
    }
}
