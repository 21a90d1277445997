using System.CommandLine;
using Bulwark.Analysis;
using Bulwark.Analysis.Registry;
using Bulwark.Analysis.Sources;
using Bulwark.Cli.Commands.Db;
using Bulwark.Cli.Commands.Scan;
using Bulwark.Oci;
using Bulwark.Policy.Images;
using Bulwark.Signing.Keys;
using Bulwark.Vulnerabilities.Scanning;

namespace Bulwark.Cli.Commands.Policy;

/// <summary>
/// <c>bulwark policy check &lt;image-ref|source&gt; --policy FILE</c>: gathers the image's facts (manifest, config,
/// signatures and attestations from its registry; a scan against the local advisory database when a rule needs one),
/// evaluates the policy and prints every applicable rule's result. Exit 0 pass (audit failures only warn), 1 an
/// enforced rule failed, 2 bad input (every policy error is listed).
/// </summary>
internal static class PolicyCheckCommand
{
    /// <summary>A policy file is text of at most <see cref="ImagePolicyLimits.MaxCharacters"/> characters; this bounds the bytes read.</summary>
    private const long MaxPolicyFileBytes = 4L * 1024 * 1024;

    public static Command Create()
    {
        var source = new Argument<string>("image-ref|source") { Description = "Image reference, or oci:DIR[:TAG], docker-archive:FILE, dir:DIR, or a path" };
        var policy = new Option<string>("--policy") { Description = "The image policy (YAML, kind: ImagePolicy)", Required = true };
        var keys = new Option<string[]>("--key")
        {
            Description = "NAME=FILE (or FILE, named after the file): a public key for policy key entries that give only a name",
            AllowMultipleArgumentsPerToken = false,
        };
        var repository = new Option<string?>("--repository") { Description = "For a local source: the repository the policy's rules are matched against" };
        var db = DbCommand.DatabaseOption();
        var format = new Option<string>("--format") { Description = "text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var platform = new Option<string?>("--platform") { Description = "os/arch[/variant] of a multi-platform image (default linux/amd64)" };
        var creds = new Option<string?>("--creds") { Description = "USER:PASSWORD for the registry (else REGISTRY_AUTH_FILE, containers auth.json, docker config.json)" };
        var plainHttp = new Option<bool>("--plain-http") { Description = "Use HTTP, not HTTPS, for a registry that is not on a loopback address" };
        var command = new Command("check", "Evaluate an image policy against an image and print each rule's result")
        {
            source, policy, keys, repository, db, format, platform, creds, plainHttp,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var invocation = new PolicyCheckInvocation
            {
                Source = result.GetRequiredValue(source),
                PolicyFile = result.GetRequiredValue(policy),
                Keys = result.GetValue(keys) ?? [],
                Repository = result.GetValue(repository),
                Database = result.GetValue(db),
                Format = result.GetValue(format) ?? "text",
                Platform = result.GetValue(platform),
                Credentials = result.GetValue(creds),
                PlainHttp = result.GetValue(plainHttp),
            };
            return await RunAsync(invocation, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(PolicyCheckInvocation options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        async Task<int> Usage(string message)
        {
            await stderr.WriteLineAsync($"bulwark policy check: {message}");
            return ExitCodes.UsageError;
        }

        ImagePolicyDocument document;
        PlatformSelection platform;
        RegistrySourceOptions registryOptions;
        try
        {
            platform = options.Platform is null ? PlatformSelection.Default : PlatformSelection.Parse(options.Platform);
            if (platform.IsAll)
            {
                return await Usage("check one platform at a time (--platform os/arch)");
            }

            registryOptions = new RegistrySourceOptions
            {
                PlainHttp = options.PlainHttp,
                Credential = options.Credentials is null ? null : RegistryCredential.Parse(options.Credentials),
            };
            var namedKeys = await ReadKeysAsync(options.Keys, cancellationToken);
            var policyFile = new FileInfo(options.PolicyFile);
            if (!policyFile.Exists)
            {
                return await Usage($"policy file '{options.PolicyFile}' does not exist");
            }

            if (policyFile.Length > MaxPolicyFileBytes)
            {
                return await Usage($"policy file '{options.PolicyFile}' is larger than {MaxPolicyFileBytes} bytes");
            }

            var parsed = ImagePolicyDocument.Parse(await File.ReadAllTextAsync(policyFile.FullName, cancellationToken), new ImagePolicyParseOptions
            {
                BaseDirectory = policyFile.DirectoryName,
                NamedKeys = namedKeys,
            });
            if (!parsed.Succeeded)
            {
                await stderr.WriteLineAsync($"bulwark policy check: {options.PolicyFile} has {parsed.Errors.Count} error(s):");
                foreach (var error in parsed.Errors)
                {
                    await stderr.WriteLineAsync($"{options.PolicyFile}:{error}");
                }

                return ExitCodes.UsageError;
            }

            document = parsed.Document;
        }
        catch (Exception e) when (e is PolicyUsageException or KeyFormatException or FormatException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return await Usage(e.Message);
        }

        var problems = new List<string>();
        ImageFacts facts;
        string display;
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });
            if (IsLocalSource(options.Source))
            {
                if (options.Repository is null || !RepositoryName.IsValid(options.Repository))
                {
                    return await Usage("a local source needs --repository NAME (the repository the policy's rules are matched against)");
                }

                display = options.Source;
                var rules = document.RulesFor(options.Repository);
                var inventory = await AnalyzeAsync(options.Source, registryOptions, platform, cancellationToken);
                facts = new ImageFacts
                {
                    Registry = "",
                    Repository = options.Repository,
                    Config = inventory.Config,
                    LayerDigests = [.. inventory.Layers.Select(l => Digest.TryParse(l.Digest, out var d) ? d : (Digest?)null).OfType<Digest>()],
                    Scan = NeedsScan(rules) ? await ScanAsync(inventory, options.Database, problems, cancellationToken) : null,
                    BaseImages = rules.Any(r => r.ApprovedBaseImages is not null) ? new RegistryBaseImageResolver(http, registryOptions, "", platform) : null,
                };
            }
            else
            {
                var text = options.Source.StartsWith("docker://", StringComparison.Ordinal) ? options.Source["docker://".Length..] : options.Source;
                if (!ImageReference.TryParse(text, out var reference))
                {
                    return await Usage($"'{options.Source}' is neither an existing path nor an image reference");
                }

                if (options.Repository is not null)
                {
                    return await Usage("--repository is only for local sources; an image reference names its repository");
                }

                display = reference.ToString();
                var rules = document.RulesFor(reference.Repository);
                var client = new RegistryClient(http, reference, registryOptions);
                var image = await RegistryImage.FetchAsync(client, reference, platform, cancellationToken);
                var collector = new RegistrySignatureCollector(client, image.Digest);
                await collector.CollectAsync(cancellationToken);
                problems.AddRange(collector.Problems);
                ImageScanFacts? scan = null;
                if (NeedsScan(rules))
                {
                    var pinned = reference with { Tag = null, Digest = image.PlatformDigest };
                    scan = await ScanAsync(await AnalyzeAsync(pinned.ToString(), registryOptions, platform, cancellationToken), options.Database, problems,
                        cancellationToken);
                }

                facts = new ImageFacts
                {
                    Registry = reference.Registry,
                    Repository = reference.Repository,
                    Digest = image.Digest,
                    Tag = reference.Tag,
                    Config = image.Config,
                    Annotations = image.Annotations,
                    LayerDigests = image.Layers,
                    Signatures = collector.Signatures,
                    Attestations = collector.Attestations,
                    Scan = scan,
                    BaseImages = rules.Any(r => r.ApprovedBaseImages is not null)
                        ? new RegistryBaseImageResolver(http, registryOptions, reference.Registry, platform) : null,
                };
            }

            var decision = await ImagePolicyEvaluator.EvaluateAsync(document, facts, TimeProvider.System, cancellationToken);
            if (options.Format == "json")
            {
                await PolicyDecisionWriter.WriteJsonAsync(stdout, display, facts.Digest?.ToString(), decision, problems, cancellationToken);
            }
            else
            {
                foreach (var problem in problems)
                {
                    await stderr.WriteLineAsync($"bulwark policy check: WARNING: {problem}");
                }

                await PolicyDecisionWriter.WriteTextAsync(stdout, display, facts.Digest?.ToString(), decision, cancellationToken);
            }

            return decision.Outcome == PolicyOutcome.Pass ? ExitCodes.Success : ExitCodes.CheckFailed;
        }
        catch (Exception e) when (e is ImageSourceException or HostileImageException or ManifestFormatException or IOException
            or UnauthorizedAccessException or InvalidDataException or FormatException or PolicyUsageException)
        {
            return await Usage($"cannot read {options.Source}: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            return await Usage($"registry unreachable: {e.Message}");
        }
    }

    private static bool NeedsScan(IReadOnlyList<ImagePolicyRule> rules) =>
        rules.Any(r => r.Vulnerabilities is not null || r.Image is { NoSecrets: true });

    /// <summary>The same test as <see cref="ImageSources.Open"/>: a transport prefix or an existing path is local.</summary>
    private static bool IsLocalSource(string source) =>
        source.StartsWith("oci:", StringComparison.Ordinal) || source.StartsWith("docker-archive:", StringComparison.Ordinal)
        || source.StartsWith("dir:", StringComparison.Ordinal) || Directory.Exists(source) || File.Exists(source);

    private static async Task<Analysis.Inventory.ImageInventory> AnalyzeAsync(string source, RegistrySourceOptions registry, PlatformSelection platform,
        CancellationToken cancellationToken)
    {
        if (SourceDirectories.IsSourceDirectory(source))
        {
            throw new PolicyUsageException($"{source} is a source directory, not an image");
        }

        await using var image = ImageSources.Open(source, registry);
        var inventories = await new ImageAnalyzer().AnalyzeAsync(image, platform, cancellationToken);
        return inventories.Count == 1 ? inventories[0]
            : throw new PolicyUsageException($"{source} has {inventories.Count} images for {platform}; choose one with --platform");
    }

    /// <summary>The scan <c>bulwark scan</c> makes, against the local advisory database; null (not scanned) when there is none or it is empty.</summary>
    private static async Task<ImageScanFacts?> ScanAsync(Analysis.Inventory.ImageInventory inventory, string? databasePath, List<string> problems,
        CancellationToken cancellationToken)
    {
        await using var database = await AdvisoryDatabaseFile.OpenAsync(databasePath, create: false, cancellationToken);
        if (database is null)
        {
            problems.Add($"no advisory database at {Path.GetFullPath(databasePath ?? AdvisoryDatabaseFile.DefaultPath())}: the image counts as not scanned (run bulwark db update)");
            return null;
        }

        var scan = await new InventoryScanner(database.Store, TimeProvider.System, new InventoryScannerOptions { MaxDatabaseAge = ScanCommand.MaxDatabaseAge })
            .ScanAsync(inventory, cancellationToken);
        if (scan.Database.IsEmpty)
        {
            problems.Add($"the advisory database {database.Path} is empty: the image counts as not scanned (run bulwark db update)");
            return null;
        }

        if (scan.Database.IsStale)
        {
            problems.Add(scan.Warnings[0].Message);
        }

        return ImageScanFacts.FromScanResult(scan);
    }

    private static async Task<Dictionary<string, VerificationKey>> ReadKeysAsync(IReadOnlyList<string> values, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, VerificationKey>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            var path = equals > 0 ? value[(equals + 1)..] : value;
            var name = equals > 0 ? value[..equals] : Path.GetFileName(path).Split('.')[0];
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new PolicyUsageException($"key file '{path}' does not exist");
            }

            if (info.Length > SigningKey.MaxPemLength)
            {
                throw new PolicyUsageException($"key file '{path}' is larger than {SigningKey.MaxPemLength} bytes");
            }

            if (!keys.TryAdd(name, VerificationKey.FromPem(await File.ReadAllTextAsync(path, cancellationToken))))
            {
                throw new PolicyUsageException($"--key {name} is given twice");
            }
        }

        return keys;
    }
}
