using System.Text;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Packages.Python;

/// <summary>
/// Installed Python distributions: <c>*.dist-info/METADATA</c> (wheels, pip), <c>*.egg-info/PKG-INFO</c> and
/// <c>*.egg-info</c> files (setuptools, Debian's python3-* packages). A dist-info's <c>RECORD</c> lists the files
/// the distribution owns.
/// </summary>
public sealed class PythonPackageAnalyzer : IFileAnalyzer
{
    /// <summary>METADATA carries the long description; a few MiB is already far beyond any real one.</summary>
    public const long MaxMetadataBytes = 8 * 1024 * 1024;

    /// <summary>RECORD size and entry bounds.</summary>
    public const long MaxRecordBytes = 16 * 1024 * 1024;

    public const int MaxRecordEntries = 200_000;

    public string Name => "python";

    public FileSelector Selector { get; } = new()
    {
        Globs = ["**/*.dist-info/METADATA", "**/*.dist-info/RECORD", "**/*.egg-info/PKG-INFO", "**/*.egg-info"],
    };

    private static readonly FileSelector MetadataFiles = new()
    {
        Globs = ["**/*.dist-info/METADATA", "**/*.egg-info/PKG-INFO", "**/*.egg-info"],
    };

    public async Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken)
    {
        foreach (var file in context.Files.Select(MetadataFiles))
        {
            var bytes = await LanguageFiles.ReadBoundedAsync(context, Name, file, MaxMetadataBytes, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                continue;
            }

            var metadata = PythonMetadata.Parse(Encoding.UTF8.GetString(bytes));
            if (metadata is null)
            {
                context.AddWarning($"python: /{file.Path} has no Name or Version; skipped");
                continue;
            }

            context.MarkRead(file);
            context.AddPackage(new Package
            {
                Type = PackageTypes.PyPI,
                Name = metadata.Name,
                Version = metadata.Version,
                Licenses = metadata.Licenses,
                Files = await OwnedFilesAsync(context, file, cancellationToken).ConfigureAwait(false),
                FoundIn = "",
                Purl = PackageUrl.Create(PackageTypes.PyPI, null, PythonMetadata.PurlName(metadata.Name), metadata.Version),
            }.FoundIn(context, file));
        }
    }

    /// <summary>The files RECORD lists, as absolute paths: RECORD paths are relative to the directory holding the dist-info.</summary>
    private async Task<IReadOnlyList<string>> OwnedFilesAsync(AnalysisContext context, ImageFile metadata, CancellationToken cancellationToken)
    {
        var distInfo = metadata.Path[..metadata.Path.LastIndexOf('/')];
        if (!distInfo.EndsWith(".dist-info", StringComparison.Ordinal) || context.Files.GetFile(distInfo + "/RECORD") is not { } record)
        {
            return [];
        }

        var bytes = await LanguageFiles.ReadBoundedAsync(context, Name, record, MaxRecordBytes, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return [];
        }

        context.MarkRead(record);
        var sitePackages = distInfo.Contains('/', StringComparison.Ordinal) ? distInfo[..distInfo.LastIndexOf('/')] : "";
        var files = new List<string>();
        using var reader = new StringReader(Encoding.UTF8.GetString(bytes));
        while (reader.ReadLine() is { } line)
        {
            if (files.Count >= MaxRecordEntries)
            {
                context.AddWarning($"python: /{record.Path} lists more than {MaxRecordEntries} files; the rest are ignored");
                break;
            }

            if (RecordPath(line) is { Length: > 0 } path && Normalize(sitePackages, path) is { } absolute)
            {
                files.Add(absolute);
            }
        }

        return files;
    }

    /// <summary>The first CSV field of a RECORD line (PEP 376: csv module, so a path with a comma is quoted).</summary>
    private static string? RecordPath(string line)
    {
        if (!line.StartsWith('"'))
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            return comma < 0 ? line.Trim() : line[..comma];
        }

        var builder = new StringBuilder();
        for (var i = 1; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    builder.Append('"');
                    i++;
                    continue;
                }

                return builder.ToString();
            }

            builder.Append(line[i]);
        }

        return null;
    }

    /// <summary>site-packages + a RECORD path (<c>../../../bin/x</c> for scripts), kept inside the image root.</summary>
    private static string? Normalize(string baseDirectory, string relative)
    {
        if (relative.StartsWith('/'))
        {
            return relative;
        }

        var parts = new List<string>(baseDirectory.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var segment in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
            }
            else if (segment != ".")
            {
                parts.Add(segment);
            }
        }

        return "/" + string.Join('/', parts);
    }
}
