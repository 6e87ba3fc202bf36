using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;

namespace MinRnn.ML.Tests.Packages;

/// <summary>What a packed library carries (docs/PACKAGES.md): one version for the set, a licence, a readme, a
/// description, tags, XML docs, symbols and the commit it was packed from; and the version set once.</summary>
public class PackageMetadataTests
{
    /// <summary>Directory.Build.props' Version, the one place the version is written.</summary>
    private static string PropsVersion() =>
        XDocument.Load(Path.Combine(Repo.Root, "Directory.Build.props")).Descendants("Version").Single().Value;

    [Fact]
    public void TheVersionIsSetOnceAndMinrnnPrintsIt()
    {
        var version = PropsVersion();
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", version);
        var (code, output) = SampleTests.Minrnn("--version");
        Assert.True(code == 0, output);
        Assert.Equal(version, output.Trim());
        var informational = typeof(SequenceModelEstimator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(version, informational.Split('+')[0]);
    }

    [PackageFeedFact]
    public void TheFeedHoldsExactlyTheLibrariesAUserReferences()
    {
        var packed = Directory.GetFiles(PackageFeed.Folder!, "*.nupkg").Select(Path.GetFileName).Order().ToList();
        var version = PropsVersion();
        Assert.Equal(PackageFeed.Ids.Select(id => $"{id}.{version}.nupkg").Order(), packed);
    }

    [PackageFeedFact]
    public void EveryPackageCarriesItsMetadataDocsAndSymbols()
    {
        var version = PropsVersion();
        var commit = GitHead();
        foreach (var id in PackageFeed.Ids)
        {
            var file = PackageFeed.Package(id);
            Assert.Equal(version, PackageFeed.Version(id));
            using var zip = ZipFile.OpenRead(file);
            var nuspec = XDocument.Load(zip.GetEntry(id + ".nuspec")!.Open());
            string Field(string name) => nuspec.Descendants().Single(e => e.Name.LocalName == name).Value;
            XElement Element(string name) => nuspec.Descendants().Single(e => e.Name.LocalName == name);

            Assert.Equal(version, Field("version"));
            Assert.Equal("MIT", Field("license"));
            Assert.Equal("expression", Element("license").Attribute("type")?.Value);
            Assert.Contains("TorchSharp", Field("description"));               // "No TorchSharp": what the user needs to know
            Assert.Contains("mingru", Field("tags").Split(' '));
            Assert.Equal("README.md", Field("readme"));
            Assert.StartsWith($"# {id}\n", Text(zip, "README.md"));
            Assert.Contains("```csharp", Text(zip, "README.md"));
            Assert.Contains("MIT License", Text(zip, "LICENSE"));
            Assert.NotNull(zip.GetEntry($"lib/net10.0/{id}.dll"));
            Assert.Contains("<member name=", Text(zip, $"lib/net10.0/{id}.xml"));
            if (commit is not null) Assert.Equal(commit, Element("repository").Attribute("commit")?.Value);

            using var symbols = ZipFile.OpenRead(Path.ChangeExtension(file, ".snupkg"));
            Assert.NotNull(symbols.GetEntry($"lib/net10.0/{id}.pdb"));
        }
    }

    private static string Text(ZipArchive zip, string entry)
    {
        using var reader = new StreamReader(zip.GetEntry(entry)?.Open() ?? throw new Xunit.Sdk.XunitException($"no {entry} in the package"));
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }

    /// <summary>The commit the repository is at, or null without git (an exported source tree has no commit to name).</summary>
    private static string? GitHead()
    {
        try
        {
            var start = new ProcessStartInfo("git", "rev-parse HEAD") { WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true };
            var (code, output) = SampleTests.Finish(start, "git rev-parse");
            return code == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
