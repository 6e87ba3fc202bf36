using MinRnn.Tests;

namespace MinRnn.Analysis.Tests.Docs;

/// <summary>The README and the docs pages link only to files, folders and headings that exist, and CI runs the
/// README's test command.</summary>
public class LinkTests
{
    /// <summary>README.md, docs/**/*.md, models/README.md, samples/**/README.md, relative to the root.</summary>
    private static List<string> DocumentFiles(string root)
    {
        IEnumerable<string> Under(string folder, string pattern) => Directory.Exists(Path.Combine(root, folder))
            ? Directory.EnumerateFiles(Path.Combine(root, folder), pattern, SearchOption.AllDirectories)
            : [];
        return [.. new[] { Path.Combine(root, "README.md"), Path.Combine(root, "models", "README.md") }
            .Concat(Under("docs", "*.md")).Concat(Under("samples", "README.md"))
            .Select(f => Path.GetRelativePath(root, f)).Order()];
    }

    [Fact]
    public void EveryRelativeLinkOfTheDocsResolves()
    {
        var root = Repository.Root;
        var files = DocumentFiles(root);
        Assert.Contains(Path.Combine("docs", "RELIABILITY.md"), files);
        Assert.True(files.Sum(f => MarkdownLinks.Links(f, File.ReadAllText(Path.Combine(root, f))).Count()) > 50,
            "too few links found: is the extraction broken?");
        var broken = MarkdownLinks.Broken(root, files);
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [Fact]
    public void TheReadmeLinksEveryDocsPage()
    {
        var root = Repository.Root;
        var linked = MarkdownLinks.Links("README.md", File.ReadAllText(Path.Combine(root, "README.md")))
            .Select(l => l.Path).ToHashSet();
        var pages = Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Select(f => $"docs/{Path.GetFileName(f)}");
        var unlinked = pages.Where(p => !linked.Contains(p)).ToList();
        Assert.True(unlinked.Count == 0, "not linked from the README: " + string.Join(", ", unlinked));
    }

    [Fact]
    public void CiRunsTheReadmesTestCommand()
    {
        var root = Repository.Root;
        var command = File.ReadLines(Path.Combine(root, "README.md")).Select(l => l.Trim()).First(l => l.StartsWith("dotnet test "));
        var ci = File.ReadLines(Path.Combine(root, ".ci", "run")).Select(l => l.Trim());
        Assert.Contains(ci, l => l == command || l.StartsWith(command + " "));
    }

    [Theory]
    // GitHub's anchors for these headings (as rendered on GitHub).
    [InlineData("`export` (ONNX) and `predict`", "export-onnx-and-predict")]
    [InlineData("ML.NET", "mlnet")]
    [InlineData("Training step (forward + backward), `minrnn bench train`", "training-step-forward--backward-minrnn-bench-train")]
    [InlineData("Platform note: TorchSharp on Debian 12 / Ubuntu 22.04", "platform-note-torchsharp-on-debian-12--ubuntu-2204")]
    [InlineData("The quick study: minGRU × GRU — naïve_case", "the-quick-study-mingru--gru--naïve_case")]
    [InlineData("See [the models](MODELS.md#cells)", "see-the-models")]
    public void SlugFollowsGitHub(string heading, string slug) => Assert.Equal(slug, MarkdownLinks.Slug(heading));

    [Fact]
    public void FindsEveryBrokenLinkOfASample()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "docs", "pictures"));
        File.WriteAllText(Path.Combine(folder.Path, "docs", "pictures", "a.png"), "");
        File.WriteAllText(Path.Combine(folder.Path, "docs", "B.md"), "# B page\n\n## Same\n\n## Same\n");
        File.WriteAllText(Path.Combine(folder.Path, "README.md"), """
            # Front door

            Good: [B](docs/B.md), [heading](docs/B.md#b-page), [repeat](docs/B.md#same-1), [here](#front-door),
            ![picture](docs/pictures/a.png "a title"), [folder](docs/pictures), [mail](mailto:nobody).
            Code is no link: `[x](missing-in-code.md)`.
            ```
            [y](missing-in-fence.md)
            ```
            Broken: [gone](docs/gone.md), [bad anchor](docs/B.md#same-2), [here](#nowhere),
            ![lost](docs/pictures/b.png), [out](../outside.md), [into a picture](docs/pictures/a.png#top).
            """);
        var broken = MarkdownLinks.Broken(folder.Path, ["README.md"]);
        Assert.Equal([
            "README.md:9: (docs/gone.md) no such file or folder",
            "README.md:9: (docs/B.md#same-2) no such heading",
            "README.md:9: (#nowhere) no such heading",
            "README.md:10: (docs/pictures/b.png) no such file or folder",
            "README.md:10: (../outside.md) leaves the repository",
            "README.md:10: (docs/pictures/a.png#top) an anchor into a file that is not markdown",
        ], broken);
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("minrnn-links-").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
