using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Oci;
using Bulwark.Signing.Formats;
using Bulwark.Signing.Keys;
using Bulwark.Signing.Tests.Fixtures;

namespace Bulwark.Signing.Tests.Formats;

/// <summary>
/// The key-based bundle-verify cases of sigstore-conformance (../shared/data/sigstore-conformance, see its SOURCE):
/// each case directory holds <c>key.pub</c> and <c>bundle.sigstore.json</c>; a directory whose name ends in
/// <c>_fail</c> must be rejected, every other one verified. The signed artifact itself is not in the data, so the
/// message signature is checked over the bundle's message digest (which the Rekor entry's body must repeat).
/// </summary>
public sealed class SigstoreConformanceTests
{
    private static readonly string Root = Path.Combine(TestPaths.SharedData, "sigstore-conformance");

    public static TheoryData<string> Cases() => [.. CaseNames()];

    private static IEnumerable<string> CaseNames() =>
        Directory.GetDirectories(Root).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal);

    [Fact]
    public void TheDataHasPassingAndFailingCases()
    {
        var names = CaseNames().ToList();
        Assert.Contains(names, n => n.EndsWith("_fail", StringComparison.Ordinal));
        Assert.Contains(names, n => !n.EndsWith("_fail", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_VerifiesUnlessItIsAFailCase(string name)
    {
        var directory = Path.Combine(Root, name);
        var shouldFail = name.EndsWith("_fail", StringComparison.Ordinal);

        var (verified, detail) = Verify(File.ReadAllText(Path.Combine(directory, "key.pub")), File.ReadAllBytes(Path.Combine(directory, "bundle.sigstore.json")), null);

        Assert.True(verified != shouldFail, $"{name}: expected {(shouldFail ? "rejection" : "verification")}, got: {detail}");
    }

    [Fact]
    public void HappyPath_ForAnotherArtifactDigest_IsRejected()
    {
        var directory = Path.Combine(Root, "managed-key-happy-path");

        var (verified, detail) = Verify(File.ReadAllText(Path.Combine(directory, "key.pub")), File.ReadAllBytes(Path.Combine(directory, "bundle.sigstore.json")),
            Digest.Compute("some other artifact"u8));

        Assert.False(verified);
        Assert.Contains("not sha256:", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void HappyPath_WithAnAlteredInclusionProof_IsRejected()
    {
        var directory = Path.Combine(Root, "managed-key-happy-path");
        var bundle = JsonNode.Parse(File.ReadAllBytes(Path.Combine(directory, "bundle.sigstore.json")))!;
        var hashes = bundle["verificationMaterial"]!["tlogEntries"]![0]!["inclusionProof"]!["hashes"]!.AsArray();
        var first = Convert.FromBase64String(hashes[0]!.GetValue<string>());
        first[0] ^= 1;
        hashes[0] = Convert.ToBase64String(first);

        var (verified, detail) = Verify(File.ReadAllText(Path.Combine(directory, "key.pub")), Encoding.UTF8.GetBytes(bundle.ToJsonString()), null);

        Assert.False(verified);
        Assert.Contains("inclusion proof", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void HappyPath_WithATransparencyLogBodyForAnotherSignature_IsRejected()
    {
        var directory = Path.Combine(Root, "managed-key-happy-path");
        var other = Path.Combine(Root, "managed-key-and-trusted-root");
        var bundle = JsonNode.Parse(File.ReadAllBytes(Path.Combine(directory, "bundle.sigstore.json")))!;
        var foreign = JsonNode.Parse(File.ReadAllBytes(Path.Combine(other, "bundle.sigstore.json")))!;
        // Same key and artifact, another signature: the log entry of one bundle must not vouch for the other.
        bundle["messageSignature"] = foreign["messageSignature"]!.DeepClone();

        var (verified, detail) = Verify(File.ReadAllText(Path.Combine(directory, "key.pub")), Encoding.UTF8.GetBytes(bundle.ToJsonString()), null);

        Assert.False(verified);
        Assert.Contains("transparency log entry", detail, StringComparison.Ordinal);
    }

    private static (bool Verified, string Detail) Verify(string publicKey, byte[] bundleBytes, Digest? artifact)
    {
        try
        {
            var key = VerificationKey.FromPem(publicKey);
            var outcome = SigstoreBundleVerifier.Verify(SigstoreBundle.Parse(bundleBytes), key, artifact);
            return (outcome.Verified, outcome.Detail);
        }
        catch (Exception e) when (e is KeyFormatException or SignatureFormatException)
        {
            return (false, e.Message);
        }
    }
}
