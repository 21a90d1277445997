using System.Diagnostics;

namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>
/// Real language-package artifacts, each built once into <c>.cache/</c>: a <c>node_modules</c> tree from
/// <c>npm install</c>, a Go binary built with Debian's Go toolchain from a vendored module, Debian packages fetched
/// with <c>apt-get download</c>, and a root filesystem that combines them with the debootstrap system.
/// </summary>
internal static class LanguageFixtures
{
    /// <summary>What <see cref="NpmProjectAsync"/> installs: debug 2.6.9 needs ms 2.0.0, so npm nests it under debug.</summary>
    public static readonly string[] NpmPackages = ["ms@2.1.3", "debug@2.6.9", "@types/ms@0.7.34", "is-number@7.0.0"];

    public static readonly string[] DebianPackages = ["python3-six", "python3-yaml", "libcommons-lang3-java", "ruby-rack"];

    /// <summary>A project directory holding <c>package.json</c> and the <c>node_modules</c> npm installed.</summary>
    public static async Task<string> NpmProjectAsync()
    {
        var root = Path.Combine(TestPaths.Cache, "npm-fixture");
        await CacheLock.EnsureAsync("npm-fixture", "1", async () =>
        {
            var staging = Fresh(root + ".partial");
            await File.WriteAllTextAsync(Path.Combine(staging, "package.json"), """{"name":"bulwark-npm-fixture","version":"1.0.0","private":true}""");
            await RunInAsync(staging, "npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--cache", Path.Combine(TestPaths.Cache, "npm-cache"), .. NpmPackages]);
            Replace(staging, root);
        });
        return root;
    }

    /// <summary>
    /// A Go binary of module <c>example.com/bulwark-fixture</c> requiring github.com/google/uuid v1.3.0 (vendored from
    /// Debian's golang-github-google-uuid-dev) and example.com/greeting replaced by a local directory.
    /// </summary>
    public static async Task<string> GoBinaryAsync()
    {
        var root = Path.Combine(TestPaths.Cache, "go-fixture");
        var binary = Path.Combine(root, "bulwark-fixture");
        await CacheLock.EnsureAsync("go-fixture", "1", async () =>
        {
            var staging = Fresh(root + ".partial");
            await File.WriteAllTextAsync(Path.Combine(staging, "go.mod"), """
                module example.com/bulwark-fixture

                go 1.19

                require (
                	example.com/greeting v0.0.0
                	github.com/google/uuid v1.3.0
                )

                replace example.com/greeting => ./greeting

                """);
            await File.WriteAllTextAsync(Path.Combine(staging, "main.go"), """
                package main

                import (
                	"fmt"

                	"example.com/greeting"
                	"github.com/google/uuid"
                )

                func main() { fmt.Println(greeting.Hello(), uuid.NewString()) }

                """);
            foreach (var directory in (string[])["greeting", "vendor/example.com/greeting"])
            {
                Directory.CreateDirectory(Path.Combine(staging, directory));
                await File.WriteAllTextAsync(Path.Combine(staging, directory, "go.mod"), "module example.com/greeting\n\ngo 1.19\n");
                await File.WriteAllTextAsync(Path.Combine(staging, directory, "greeting.go"), "package greeting\n\nfunc Hello() string { return \"hello\" }\n");
            }

            CopyDirectory("/usr/share/gocode/src/github.com/google/uuid", Path.Combine(staging, "vendor/github.com/google/uuid"));
            await File.WriteAllTextAsync(Path.Combine(staging, "vendor/modules.txt"), """
                # example.com/greeting v0.0.0 => ./greeting
                ## explicit; go 1.19
                example.com/greeting
                # github.com/google/uuid v1.3.0
                ## explicit
                github.com/google/uuid
                # example.com/greeting => ./greeting

                """);
            await RunInAsync(staging, "go", ["build", "-mod=vendor", "-o", "bulwark-fixture", "."],
                ("GOPROXY", "off"), ("GOFLAGS", "-mod=vendor"), ("GOCACHE", Path.Combine(staging, ".gocache")), ("HOME", staging));
            Directory.Delete(Path.Combine(staging, ".gocache"), recursive: true);
            Replace(staging, root);
        });
        return binary;
    }

    /// <summary>The .deb files of <see cref="DebianPackages"/>, from apt-get download.</summary>
    public static async Task<string[]> DebianDebsAsync()
    {
        var root = Path.Combine(TestPaths.Cache, "langpkgs-debs");
        await CacheLock.EnsureAsync("langpkgs-debs", "1", async () =>
        {
            var staging = Fresh(root + ".partial");
            await RunInAsync(staging, "apt-get", ["download", .. DebianPackages]);
            Replace(staging, root);
        });
        return Directory.GetFiles(root, "*.deb").Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The debootstrap Debian 12 system with <see cref="DebianPackages"/> installed by <c>dpkg --root</c> (so dpkg's
    /// own database owns their dist-info, egg-info, jar and gemspec), plus language packages no OS package owns: a
    /// pip-style copy of PyYAML's dist-info under <c>usr/local</c>, a gem-style copy of rack's gemspec under
    /// <c>var/lib/gems</c>, the npm project, a war nesting Debian's jar, a jar described only by its manifest, a
    /// deps.json from this test project's build and a Composer 2 installed.json (synthetic).
    /// </summary>
    public static async Task<string> RootFsAsync()
    {
        var debs = await DebianDebsAsync();
        var npm = await NpmProjectAsync();
        var debootstrap = await DebootstrapRootFs.GetAsync();
        var root = Path.Combine(TestPaths.Cache, "langpkgs-rootfs");
        await CacheLock.EnsureAsync("langpkgs-rootfs", "1", async () =>
        {
            var staging = root + ".partial";
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            await ProcessRunner.RunAsync("cp", "-a", debootstrap, staging);
            await ProcessRunner.RunAsync("dpkg", ["--root=" + staging, "--force-depends", "--install", .. debs]);

            CopyDirectory(Path.Combine(staging, "usr/lib/python3/dist-packages/PyYAML-6.0.dist-info"),
                Path.Combine(staging, "usr/local/lib/python3.11/dist-packages/PyYAML-6.0.dist-info"));
            Directory.CreateDirectory(Path.Combine(staging, "var/lib/gems/3.1.0/specifications"));
            File.Copy(Path.Combine(staging, "usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec"),
                Path.Combine(staging, "var/lib/gems/3.1.0/specifications/rack-2.2.22.gemspec"));
            await ProcessRunner.RunAsync("cp", "-a", npm, Path.Combine(staging, "srv/web"));

            var app = Directory.CreateDirectory(Path.Combine(staging, "opt/app")).FullName;
            await JavaArchives.WarAsync(Path.Combine(staging, "usr/share/java/commons-lang3.jar"), Path.Combine(app, "shop.war"));
            await JavaArchives.ManifestOnlyJarAsync(Path.Combine(app, "plain.jar"), "Demo Tool", "4.5.6");
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Bulwark.Analysis.Tests.deps.json"), Path.Combine(app, "Bulwark.Analysis.Tests.deps.json"));
            Directory.CreateDirectory(Path.Combine(staging, "var/www/vendor/composer"));
            await File.WriteAllTextAsync(Path.Combine(staging, "var/www/vendor/composer/installed.json"), ComposerInstalled);
            Replace(staging, root);
        });
        return root;
    }

    /// <summary>Synthetic (no PHP or Composer in Debian's test setup): Composer 2's format with a dev package.</summary>
    public const string ComposerInstalled = """
        {
          "packages": [
            {"name": "monolog/monolog", "version": "3.5.0", "version_normalized": "3.5.0.0", "type": "library",
             "require": {"php": ">=8.1", "psr/log": "^2.0 || ^3.0"}, "license": ["MIT"]},
            {"name": "psr/log", "version": "3.0.0", "version_normalized": "3.0.0.0", "license": ["MIT"]},
            {"name": "phpunit/phpunit", "version": "10.5.1", "license": ["BSD-3-Clause"], "require": {"ext-dom": "*"}}
          ],
          "dev": true,
          "dev-package-names": ["phpunit/phpunit"]
        }
        """;

    public static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }

    private static string Fresh(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        return Directory.CreateDirectory(path).FullName;
    }

    private static void Replace(string staging, string root)
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        Directory.Move(staging, root);
    }

    public static async Task<string> RunInAsync(string directory, string fileName, string[] arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }
}
