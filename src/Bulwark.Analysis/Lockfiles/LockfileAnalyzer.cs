using System.Text;
using System.Text.Json;
using Bulwark.Analysis.Inventory;
using Tomlyn;
using YamlDotNet.Core;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// Base of the lock file analyzers: finds the lock files its <see cref="LockfileGlobs"/> match, skips those over
/// <see cref="MaxLockfileBytes"/> with a warning, parses each one on its own and turns a malformed file into a
/// warning naming the file and line, so that one bad file never stops the others.
/// </summary>
public abstract class LockfileAnalyzer : IFileAnalyzer
{
    /// <summary>The default cap on one lock file: 64 MiB, well above the largest real lock files (a few MiB).</summary>
    public const long DefaultMaxLockfileBytes = 64L * 1024 * 1024;

    private FileSelector? selector;
    private FileSelector? lockfiles;

    public abstract string Name { get; }

    /// <summary>Globs of the lock files themselves (<c>**/package-lock.json</c>).</summary>
    protected abstract IReadOnlyList<string> LockfileGlobs { get; }

    /// <summary>Globs of other files a parser reads beside a lock file (<c>**/package.json</c>); none by default.</summary>
    protected virtual IReadOnlyList<string> CompanionGlobs => [];

    public long MaxLockfileBytes { get; init; } = DefaultMaxLockfileBytes;

    public FileSelector Selector => selector ??= new FileSelector { Globs = [.. LockfileGlobs, .. CompanionGlobs] };

    public async Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken)
    {
        lockfiles ??= new FileSelector { Globs = LockfileGlobs };
        // A file included by another one (requirements -r) is also a lock file of its own: report its packages once.
        var reported = new HashSet<(string FoundIn, string Purl)>();
        foreach (var file in context.Files.Select(lockfiles))
        {
            if (file.Size > MaxLockfileBytes)
            {
                context.AddWarning($"{Name}: {file.Path} is {file.Size} bytes, over the lock file cap of {MaxLockfileBytes} bytes; not analysed");
                continue;
            }

            context.MarkRead(file);
            // Editors on Windows may start a file with a byte order mark, which the JSON and XML readers refuse as text.
            var text = Encoding.UTF8.GetString(await file.Content.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false)).TrimStart('\uFEFF');
            var input = new LockfileInput(file.Path, text, context.Files, MaxLockfileBytes, context.MarkRead);
            var result = new LockfileParseResult();
            try
            {
                await ParseAsync(input, result, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (ToFormatException(e) is { } format)
            {
                context.AddWarning($"{Name}: {file.Path}{(format.Line is { } line ? $":{line}" : "")}: {format.Message}; not analysed");
                continue;
            }

            foreach (var warning in result.Warnings)
            {
                context.AddWarning($"{Name}: {warning}");
            }

            foreach (var package in result.Packages)
            {
                if (reported.Add((package.FoundIn, package.Purl)))
                {
                    context.AddPackage(package);
                }
            }
        }
    }

    /// <summary>Parses one lock file. Throws <see cref="LockfileFormatException"/> (or lets a JSON, YAML or TOML error through) when it is malformed.</summary>
    public abstract Task ParseAsync(LockfileInput input, LockfileParseResult result, CancellationToken cancellationToken);

    /// <summary>Parses a lock file held in memory, without companion files: for tests and callers that hold the text.</summary>
    public async Task<LockfileParseResult> ParseAsync(string path, string text, CancellationToken cancellationToken)
    {
        var result = new LockfileParseResult();
        try
        {
            await ParseAsync(new LockfileInput(path, text), result, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ToFormatException(e) is { } format && format != e)
        {
            throw format;
        }

        return result;
    }

    /// <summary>The JSON, YAML, TOML and XML parsers' errors as a <see cref="LockfileFormatException"/> with a 1-based line.</summary>
    private static LockfileFormatException? ToFormatException(Exception e) => e switch
    {
        LockfileFormatException format => format,
        JsonException json => new LockfileFormatException(FirstLine(json.Message), json.LineNumber + 1 is { } l ? (int)l : null, json),
        YamlException yaml => new LockfileFormatException(FirstLine(yaml.Message), (int)yaml.Start.Line, yaml),
        TomlException toml => new LockfileFormatException(FirstLine(toml.Message), toml.Line is { } l and > 0 ? l : null, toml),
        System.Xml.XmlException xml => new LockfileFormatException(FirstLine(xml.Message), xml.LineNumber > 0 ? xml.LineNumber : null, xml),
        // A node of an unexpected kind (a sequence where a key was expected) or a number out of range.
        InvalidCastException or FormatException or OverflowException or InvalidOperationException or ArgumentException =>
            new LockfileFormatException("unexpected structure: " + FirstLine(e.Message), null, e),
        _ => null,
    };

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>A package of a lock file, with the fields every format fills.</summary>
    protected static Package NewPackage(LockfileInput input, string type, string name, string version, string purl,
        IReadOnlyList<string>? dependsOn = null, bool? direct = null, bool? development = null, IReadOnlyList<string>? licenses = null) =>
        new()
        {
            Type = type,
            Name = name,
            Version = version,
            Purl = purl,
            FoundIn = input.Path,
            DependsOn = dependsOn ?? [],
            Direct = direct,
            Development = development,
            Licenses = licenses ?? [],
        };
}
