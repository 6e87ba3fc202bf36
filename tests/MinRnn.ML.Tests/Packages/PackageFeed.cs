using System.Text.RegularExpressions;

namespace MinRnn.ML.Tests.Packages;

/// <summary>The local folder feed `.ci/run` packs the libraries into (`dotnet pack MinRnn.sln -c Release -o FEED`) and
/// names in MINRNN_PACKAGE_FEED before it runs the tests.</summary>
internal static partial class PackageFeed
{
    public const string Variable = "MINRNN_PACKAGE_FEED";

    /// <summary>The packages a .NET user references; docs/PACKAGES.md says why the others are not packed.</summary>
    public static readonly string[] Ids = ["MinRnn.ML", "MinRnn.Onnx.Format"];

    public static string? Folder => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } f && Directory.Exists(f) ? f : null;

    /// <summary>FEED/ID.VERSION.nupkg; fails unless exactly one version of the package is in the feed.</summary>
    public static string Package(string id)
    {
        var files = Directory.GetFiles(Folder!, id + ".*.nupkg").Where(f => VersionOf(id, f) is not null).ToList();
        Assert.True(files.Count == 1, $"{Folder} should hold one {id} package, holds: {string.Join(", ", files.Select(Path.GetFileName))}");
        return files[0];
    }

    public static string Version(string id) => VersionOf(id, Package(id))!;

    private static string? VersionOf(string id, string file)
    {
        var m = VersionPattern().Match(Path.GetFileName(file)[(id.Length + 1)..]);
        return m.Success ? m.Groups[1].Value : null;
    }

    // the version part of ID.VERSION.nupkg: digits first, so MinRnn.ML.x does not match MinRnn.ML.Extra.x
    [GeneratedRegex(@"^(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.nupkg$")]
    private static partial Regex VersionPattern();
}

/// <summary>A fact about the packed libraries: reported as skipped, with the reason, when no feed was packed (a plain
/// `dotnet test`; `.ci/run` packs one), so it never passes without having looked at a package.</summary>
public sealed class PackageFeedFactAttribute : FactAttribute
{
    public PackageFeedFactAttribute()
    {
        if (PackageFeed.Folder is null)
            Skip = $"no package feed: {PackageFeed.Variable} names no folder (.ci/run packs one; docs/PACKAGES.md)";
    }
}
