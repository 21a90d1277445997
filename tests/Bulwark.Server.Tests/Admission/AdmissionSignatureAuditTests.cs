using Bulwark.Server.Configuration;

namespace Bulwark.Server.Tests.Admission;

/// <summary>
/// Signature checks in audit mode (warnings, never a denial) and with the facts cache on: a passing image's facts are
/// reused for <c>cacheDuration</c> (here the maximum, 5 minutes, so that no test depends on timing), a failing one's never.
/// </summary>
public sealed class AdmissionSignatureAuditTests(AdmissionSignatureAuditTests.Fixture fixture) : IClassFixture<AdmissionSignatureAuditTests.Fixture>
{
    private const string Host = SignatureTestServer.Host;

    [Fact]
    public async Task AuditMode_Unsigned_IsAllowedWithAWarning()
    {
        var digest = await fixture.PushScannedAsync("audit/unsigned", "1");

        var response = await fixture.ValidateAsync("audit-unsigned", $"{Host}/audit/unsigned:1");

        Assert.True(response["allowed"]!.GetValue<bool>());
        var warning = Assert.Single(response["warnings"]!.AsArray())!.GetValue<string>();
        Assert.Equal($"[signature] container \"app0\" image \"{Host}/audit/unsigned:1\": signature not verified: no signature found for {digest}", warning);
    }

    [Fact]
    public async Task Cache_FailureIsNeverCached_PassIsReusedForTheTagUntilItExpires()
    {
        await fixture.PushScannedAsync("audit/cached", "1");
        Assert.NotNull((await fixture.ValidateAsync("cached-1", $"{Host}/audit/cached:1"))["warnings"]);

        // Signed after a failing review: counts at once, because failures are not cached.
        await fixture.SignAsync("audit/cached", "1", fixture.Trusted);
        Assert.Null((await fixture.ValidateAsync("cached-2", $"{Host}/audit/cached:1"))["warnings"]);

        // The tag moves to an unsigned image: the tag's passing facts are reused until cacheDuration ends …
        var moved = await fixture.PushScannedAsync("audit/cached", "1");
        Assert.Null((await fixture.ValidateAsync("cached-3", $"{Host}/audit/cached:1"))["warnings"]);

        // … but the new digest itself was never checked, so a pinned reference to it (what the mutating webhook writes) is judged now.
        var pinned = await fixture.ValidateAsync("cached-4", $"{Host}/audit/cached:1@{moved}");
        Assert.Contains($"no signature found for {moved}", Assert.Single(pinned["warnings"]!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>Audit mode, facts cached for 5 minutes.</summary>
    public sealed class Fixture : SignatureTestServer
    {
        protected override void Configure(ServerOptions options)
        {
            options.Admission.Mode = "audit";
            options.Admission.CacheDuration = TimeSpan.FromMinutes(5);
        }
    }
}
