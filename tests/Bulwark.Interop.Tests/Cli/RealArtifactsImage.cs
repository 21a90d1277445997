using Bulwark.Analysis.Tests.Fixtures;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Cli;

/// <summary>
/// One OCI image of real artifacts, built once with umoci (<c>init</c>, <c>new</c>, one <c>raw add-layer</c> per layer,
/// from scratch) into <c>.cache/real-artifacts/</c>. Nothing in it is written by hand:
/// <list type="number">
/// <item>layer 0: Debian's <c>base-files</c> (os-release), from <c>apt-get download</c> + <c>dpkg -x</c>;</item>
/// <item>layer 1: Debian's <c>age</c> package: two Go programs built by Debian with its Go 1.19 toolchain;</item>
/// <item>layer 2: Debian's <c>python3-urllib3</c>, <c>python3-idna</c>, <c>python3-jinja2</c> (egg-info) and
/// <c>python3-cryptography</c> (dist-info), unpacked without dpkg so that no OS package owns them;</item>
/// <item>layer 3: <c>node_modules</c> from <c>npm install</c> of <see cref="NpmPackages"/>;</item>
/// <item>layer 4: the output of <c>dotnet publish</c> of a console app referencing <see cref="NuGetPackage"/>;</item>
/// <item>layer 5: a module-mode Go program built with Debian's Go against Debian's source of golang.org/x/net 0.7.0
/// (golang-golang-x-net-dev), vendored: Debian builds its own Go packages in GOPATH mode, so their binaries carry
/// no module versions.</item>
/// </list>
/// The unpacked layers stay beside the layout (<see cref="LayerDirectory"/>): tests read the expected names and
/// versions from them, not from constants.
/// </summary>
internal sealed class RealArtifactsImage
{
    public const string Tag = "real";

    public const int BaseLayer = 0;
    public const int GoLayer = 1;
    public const int PythonLayer = 2;
    public const int NpmLayer = 3;
    public const int DotnetLayer = 4;
    public const int GoModuleLayer = 5;

    public static readonly string[] NpmPackages = ["lodash@4.17.20", "minimist@1.2.5", "@sindresorhus/is@4.6.0"];

    public const string NuGetPackage = "Newtonsoft.Json@13.0.1";

    public const string GoModuleBinary = "usr/local/bin/htmltitle";

    private static readonly string[][] DebianLayers =
    [
        ["base-files"],
        ["age"],
        ["python3-urllib3", "python3-idna", "python3-jinja2", "python3-cryptography"],
    ];

    /// <summary>Changes whenever what is built changes, so that a stale cache is rebuilt.</summary>
    private static readonly string Stamp = string.Join('|',
        ["1", .. DebianLayers.SelectMany(l => l), .. NpmPackages, NuGetPackage, "golang.org/x/net@v0.7.0"]);

    private static readonly Lazy<Task<RealArtifactsImage>> Instance = new(BuildAsync);

    private RealArtifactsImage(string root) => Root = root;

    /// <summary>The folder with <c>oci/</c> (the layout) and <c>layers/N/</c> (each layer's files).</summary>
    public string Root { get; }

    public string Layout => Path.Combine(Root, "oci");

    /// <summary>The source argument for <c>bulwark sbom|scan</c>.</summary>
    public string Source => $"oci:{Layout}:{Tag}";

    public static Task<RealArtifactsImage> GetAsync() => Instance.Value;

    /// <summary>The unpacked files of one layer (its root).</summary>
    public string LayerDirectory(int layer) => Path.Combine(Root, "layers", layer.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<RealArtifactsImage> BuildAsync()
    {
        var root = Path.Combine(TestPaths.Cache, "real-artifacts");
        await CacheLock.EnsureAsync("real-artifacts", Stamp, async () =>
        {
            var staging = Fresh(root + ".partial");
            var layers = Path.Combine(staging, "layers");
            var debs = Directory.CreateDirectory(Path.Combine(staging, "debs")).FullName;
            await RunAsync(debs, "apt-get", ["download", .. DebianLayers.SelectMany(l => l)]);
            for (var layer = 0; layer < DebianLayers.Length; layer++)
            {
                var target = Directory.CreateDirectory(Path.Combine(layers, layer.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
                foreach (var package in DebianLayers[layer])
                {
                    await RunAsync(debs, "dpkg", ["-x", Assert.Single(Directory.GetFiles(debs, package + "_*.deb")), target]);
                }
            }

            await NpmInstallAsync(Directory.CreateDirectory(Path.Combine(layers, "3", "srv", "web")).FullName);
            await DotnetPublishAsync(Path.Combine(staging, "dotnet-src"), Path.Combine(layers, "4", "opt", "hello"));
            await GoBuildAsync(Path.Combine(staging, "go-src"), Path.Combine(layers, "5", GoModuleBinary));

            var layout = Path.Combine(staging, "oci");
            await RunAsync(staging, "umoci", ["init", "--layout", layout]);
            await RunAsync(staging, "umoci", ["new", "--image", $"{layout}:{Tag}"]);
            string[] createdBy =
            [
                "COPY base-files (apt-get download; dpkg -x)",
                "COPY age (apt-get download; dpkg -x)",
                "COPY python3-urllib3 python3-idna python3-jinja2 python3-cryptography (dpkg -x)",
                "RUN npm install " + string.Join(' ', NpmPackages),
                "RUN dotnet publish (" + NuGetPackage + ")",
                "RUN go build (golang.org/x/net v0.7.0, vendored)",
            ];
            for (var layer = 0; layer < createdBy.Length; layer++)
            {
                var tar = Path.Combine(staging, $"layer{layer}.tar");
                await RunAsync(staging, "tar", ["--sort=name", "--numeric-owner", "--owner=0", "--group=0", "-C", Path.Combine(layers, layer.ToString(System.Globalization.CultureInfo.InvariantCulture)), "-cf", tar, "."]);
                await RunAsync(staging, "umoci", ["raw", "add-layer", "--image", $"{layout}:{Tag}", "--history.created_by", createdBy[layer], tar]);
                File.Delete(tar);
            }

            await RunAsync(staging, "umoci", ["gc", "--layout", layout]);
            Directory.Delete(debs, recursive: true);
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }

            Directory.Move(staging, root);
        });
        return new RealArtifactsImage(root);
    }

    private static async Task NpmInstallAsync(string project)
    {
        await File.WriteAllTextAsync(Path.Combine(project, "package.json"), """{"name":"bulwark-real-artifacts","version":"1.0.0","private":true}""");
        await RunAsync(project, "npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--save-exact",
            "--cache", Path.Combine(TestPaths.Cache, "npm-cache"), .. NpmPackages]);
    }

    /// <summary>
    /// A console app with a pinned package reference, published. The project sits inside this repository's
    /// <c>.cache/</c>, so empty <c>Directory.*</c> files stop MSBuild from importing the repository's own (central
    /// package versions, analyzers, warnings as errors), and the test host's MSBuild variables are not inherited.
    /// </summary>
    private static async Task DotnetPublishAsync(string source, string output)
    {
        Directory.CreateDirectory(source);
        foreach (var stop in (string[])["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"])
        {
            await File.WriteAllTextAsync(Path.Combine(source, stop), "<Project />\n");
        }

        var (name, version) = (NuGetPackage.Split('@')[0], NuGetPackage.Split('@')[1]);
        await File.WriteAllTextAsync(Path.Combine(source, "hello.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{name}" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(source, "Program.cs"),
            "System.Console.WriteLine(Newtonsoft.Json.JsonConvert.SerializeObject(new { hello = \"world\" }));\n");
        var inherited = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_HOST", StringComparison.Ordinal)
                || k.StartsWith("VSTEST", StringComparison.Ordinal))
            .SelectMany(k => new[] { "-u", k });
        await RunAsync(source, "env", [.. inherited, "DOTNET_CLI_TELEMETRY_OPTOUT=1", "DOTNET_NOLOGO=1",
            "dotnet", "publish", "hello.csproj", "-c", "Release", "-o", output, "--nologo"], TimeSpan.FromMinutes(10));
        Directory.Delete(source, recursive: true);
    }

    /// <summary>
    /// <c>go build</c> in module mode, offline, with golang.org/x/net's html packages vendored from Debian's
    /// golang-golang-x-net-dev (version 0.7.0 in Debian 12): the binary's build info records <c>dep golang.org/x/net v0.7.0</c>.
    /// </summary>
    private static async Task GoBuildAsync(string source, string output)
    {
        const string DebianXNet = "/usr/share/gocode/src/golang.org/x/net";
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "go.mod"), "module example.com/htmltitle\n\ngo 1.19\n\nrequire golang.org/x/net v0.7.0\n");
        await File.WriteAllTextAsync(Path.Combine(source, "main.go"), """
            package main

            import (
            	"fmt"
            	"os"

            	"golang.org/x/net/html"
            )

            func main() {
            	doc, err := html.Parse(os.Stdin)
            	if err != nil {
            		fmt.Fprintln(os.Stderr, err)
            		os.Exit(1)
            	}
            	fmt.Println(doc.FirstChild != nil)
            }

            """);
        var vendor = Directory.CreateDirectory(Path.Combine(source, "vendor", "golang.org", "x", "net")).FullName;
        await RunAsync(source, "cp", ["-r", Path.Combine(DebianXNet, "html"), Path.Combine(DebianXNet, "go.mod"), vendor]);
        await File.WriteAllTextAsync(Path.Combine(source, "vendor", "modules.txt"),
            "# golang.org/x/net v0.7.0\n## explicit; go 1.17\ngolang.org/x/net/html\ngolang.org/x/net/html/atom\n");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await RunAsync(source, "env", ["GOPROXY=off", "GOFLAGS=-mod=vendor", "GOCACHE=" + Path.Combine(source, ".gocache"), "HOME=" + source,
            "go", "build", "-o", output, "."], TimeSpan.FromMinutes(10));
        Directory.Delete(source, recursive: true);
    }

    private static async Task RunAsync(string directory, string tool, string[] arguments, TimeSpan? timeout = null) =>
        (await ToolProcess.RunAsync(tool, arguments, CancellationToken.None, timeout ?? TimeSpan.FromMinutes(5), directory)).AssertSucceeded();

    private static string Fresh(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        return Directory.CreateDirectory(path).FullName;
    }
}
