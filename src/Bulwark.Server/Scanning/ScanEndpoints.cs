using Bulwark.Analysis.Sbom;
using Bulwark.Audit.Records;
using Bulwark.Identity.Permissions;
using Bulwark.Oci;
using Bulwark.Registry.Manifests;
using Bulwark.Server.Configuration;
using Bulwark.Server.Identity;
using Bulwark.Server.Management;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Scanning;

/// <summary>
/// <c>/api/v1/scans</c>: scan status, summaries, findings and inventories of pushed images, and re-scans. Every image
/// endpoint names it with <c>repository</c> and <c>reference</c> (a tag or a digest) query parameters; reads need
/// <c>metadata/read</c> on the repository, re-scans <c>metadata/write</c>. Also <c>/api/v1/advisories</c> (system admins):
/// the advisory sources and an on-demand update.
/// </summary>
public static class ScanEndpoints
{
    public static IEndpointRouteBuilder MapScanApi(this IEndpointRouteBuilder endpoints)
    {
        var scans = endpoints.MapGroup(ManagementApi.Prefix + "/scans")
            .RequireAuthorization(BulwarkAuthentication.SignedInPolicy)
            .AddEndpointFilter<RepositoryAccessFilter>();

        scans.MapGet("", async Task<Ok<ScanPage<ImageScanView>>> (string? repository, string? status, int? limit, string? cursor,
            HttpContext http, ScanReader reader, CancellationToken ct) =>
        {
            ScanStatus? wanted = status is null ? null
                : Enum.TryParse<ScanStatus>(status, ignoreCase: true, out var parsed) && !int.TryParse(status, out _) ? parsed
                : throw new ScanApiException(StatusCodes.Status400BadRequest, "status must be one of pending, scanning, done, failed");
            if (repository is not null && (await RepositoryAccess.GrantedAsync(http, repository, ct) & RegistryActions.MetadataRead) == 0)
            {
                throw new ScanApiException(StatusCodes.Status403Forbidden, "this needs metadata/read on the repository");
            }

            var page = await reader.ListAsync(repository, wanted, limit, cursor,
                async name => (await RepositoryAccess.GrantedAsync(http, name, ct) & RegistryActions.MetadataRead) != 0, ct);
            return TypedResults.Ok(page);
        });

        scans.MapGet("/image", async Task<Ok<ImageScanView>> (string repository, string? reference, ScanReader reader, ManifestService manifests,
            CancellationToken ct) =>
        {
            var manifest = await ResolveAsync(manifests, repository, reference, ct);
            var view = await reader.GetAsync(repository, manifest.Digest.ToString(), ct)
                ?? throw new ScanApiException(StatusCodes.Status404NotFound, $"{repository}@{manifest.Digest} has not been queued for scanning (not an image, or pushed while scanning was off)");
            if (MediaTypes.IsIndex(manifest.MediaType))
            {
                var index = ManifestParser.Parse(await manifests.ReadContentAsync(manifest, ct), manifest.MediaType);
                view = await reader.WithPlatformsAsync(view, ScanOnPushSink.PlatformManifests(index).Select(d => d.Digest), ct);
            }

            return TypedResults.Ok(view);
        }).WithMetadata(new RepositoryAccess(RegistryActions.MetadataRead));

        scans.MapGet("/image/findings", async Task<Ok<ScanPage<FindingView>>> (string repository, string? reference, bool? resolved, int? limit,
            string? cursor, ScanReader reader, ManifestService manifests, CancellationToken ct) =>
        {
            var manifest = await ResolveImageAsync(manifests, repository, reference, ct);
            return TypedResults.Ok(await reader.FindingsAsync(manifest.Digest.ToString(), resolved ?? false, limit, cursor, ct));
        }).WithMetadata(new RepositoryAccess(RegistryActions.MetadataRead));

        scans.MapGet("/image/inventory", async Task<IResult> (string repository, string? reference, ScanReader reader, ManifestService manifests,
            CancellationToken ct) =>
        {
            var manifest = await ResolveImageAsync(manifests, repository, reference, ct);
            var json = await reader.InventoryJsonAsync(manifest.Digest.ToString(), ct)
                ?? throw new ScanApiException(StatusCodes.Status404NotFound, $"{repository}@{manifest.Digest} has not been analysed yet");
            return TypedResults.Bytes(json, "application/json");
        }).WithMetadata(new RepositoryAccess(RegistryActions.MetadataRead));

        scans.MapGet("/image/sbom", async Task<IResult> (string repository, string? reference, string? format, ImageSbomService sboms,
            ManifestService manifests, CancellationToken ct) =>
        {
            var sbomFormat = ParseFormat(format);
            var manifest = await ResolveImageAsync(manifests, repository, reference, ct);
            var sbom = await sboms.WriteAsync(manifest.Digest.ToString(), sbomFormat, ct)
                ?? throw new ScanApiException(StatusCodes.Status404NotFound, $"{repository}@{manifest.Digest} has not been analysed yet");
            return TypedResults.Bytes(sbom, SbomDocuments.MediaType(sbomFormat));
        }).WithMetadata(new RepositoryAccess(RegistryActions.MetadataRead));

        scans.MapPost("/image/sbom/attach", async Task<IResult> (string repository, string? reference, string? format, ImageSbomService sboms,
            ManifestService manifests, CancellationToken ct) =>
        {
            var sbomFormat = ParseFormat(format);
            var manifest = await ResolveImageAsync(manifests, repository, reference, ct);
            var attached = await sboms.AttachAsync(manifest, sbomFormat, ct)
                ?? throw new ScanApiException(StatusCodes.Status404NotFound, $"{repository}@{manifest.Digest} has not been analysed yet");
            return attached.Created
                ? TypedResults.Created($"/v2/{repository}/manifests/{attached.Digest}", attached)
                : TypedResults.Ok(attached);
        }).WithMetadata(new RepositoryAccess(RegistryActions.MetadataWrite));

        scans.MapPost("/image/rescan", async Task<Accepted<ImageScanView>> (string repository, string? reference, ScanJobStore queue, ScanReader reader,
            ManifestService manifests, ServerOptions options, CancellationToken ct) =>
        {
            if (!options.Scanning.Enabled)
            {
                throw new ScanApiException(StatusCodes.Status409Conflict, "scanning is disabled on this server (scanning.enabled)");
            }

            var manifest = await ResolveAsync(manifests, repository, reference, ct);
            var document = ManifestParser.Parse(await manifests.ReadContentAsync(manifest, ct), manifest.MediaType);
            if (!ScanOnPushSink.IsImage(document))
            {
                throw new ScanApiException(StatusCodes.Status400BadRequest, $"{repository}@{manifest.Digest} is an artifact, not an image");
            }

            await queue.EnqueueAsync(repository, manifest.Digest.ToString(), manifest.MediaType, force: true, ct);
            var view = await reader.GetAsync(repository, manifest.Digest.ToString(), ct);
            return TypedResults.Accepted($"{ManagementApi.Prefix}/scans/image?repository={Uri.EscapeDataString(repository)}&reference={manifest.Digest}", view);
        }).WithMetadata(new RepositoryAccess(RegistryActions.MetadataWrite));

        var advisories = endpoints.MapGroup(ManagementApi.Prefix + "/advisories")
            .RequireAuthorization(BulwarkAuthentication.SystemAdminPolicy)
            .AddEndpointFilter<RepositoryAccessFilter>();
        advisories.MapGet("", async Task<Ok<IReadOnlyList<Bulwark.Vulnerabilities.Advisories.AdvisorySource>>> (
            Bulwark.Vulnerabilities.Advisories.AdvisoryStore store, CancellationToken ct) =>
            TypedResults.Ok(await store.GetSourcesAsync(ct)));
        advisories.MapPost("/update", async Task<Ok<AdvisoryUpdateReport>> (AdvisoryUpdateRequest request, HttpContext http, AdvisoryUpdater updater,
            ServerOptions options, CancellationToken ct) =>
        {
            var sources = request.Sources is { Count: > 0 } given ? given : options.Scanning.Advisories.Sources;
            if (sources.Count == 0)
            {
                throw new ScanApiException(StatusCodes.Status400BadRequest, "no sources given and none configured (scanning.advisories.sources)");
            }

            var problems = sources.SelectMany((s, i) => AdvisoryUpdater.Validate(s).Select(p => $"sources[{i}]: {p}")).ToList();
            if (problems.Count > 0)
            {
                throw new ScanApiException(StatusCodes.Status400BadRequest, string.Join("; ", problems));
            }

            var caller = CallerFeature.Get(http).Principal;
            return TypedResults.Ok(await updater.UpdateAsync(sources, AuditActor.User(caller.Name), ct));
        });
        return endpoints;
    }

    private static SbomFormat ParseFormat(string? format) => format switch
    {
        null or "cyclonedx" => SbomFormat.CycloneDx,
        "spdx" => SbomFormat.Spdx,
        _ => throw new ScanApiException(StatusCodes.Status400BadRequest, $"format '{format}' is not cyclonedx or spdx"),
    };

    /// <summary>The manifest a (repository, reference) names; the reference defaults to <c>latest</c>.</summary>
    internal static async Task<StoredManifest> ResolveAsync(ManifestService manifests, string repository, string? reference, CancellationToken ct)
    {
        reference ??= "latest";
        ManifestService.ParseReference(reference);
        return await manifests.FindAsync(repository, reference, ct)
            ?? throw new ScanApiException(StatusCodes.Status404NotFound, $"{repository}:{reference} is not in the registry");
    }

    /// <summary>As <see cref="ResolveAsync"/>, refusing an index: findings, inventories and SBOMs belong to platform images.</summary>
    internal static async Task<StoredManifest> ResolveImageAsync(ManifestService manifests, string repository, string? reference, CancellationToken ct)
    {
        var manifest = await ResolveAsync(manifests, repository, reference, ct);
        return MediaTypes.IsIndex(manifest.MediaType)
            ? throw new ScanApiException(StatusCodes.Status400BadRequest,
                $"{repository}@{manifest.Digest} is an index: ask for one of its platform manifests (listed by /scans/image)")
            : manifest;
    }
}
