using System.Text;
using Bulwark.Audit.Records;

namespace Bulwark.Audit.Tests;

/// <summary>The canonical form is a published format: these bytes and hashes were produced independently
/// (Python's json.dumps with sort_keys, compact separators and ensure_ascii=False, which agrees with RFC 8785
/// for strings and integers) and must never change.</summary>
public sealed class CanonicalFormTests
{
    private static readonly AuditRecord Push = new(1, AuditHarness.Start, AuditActor.User("alice"), AuditActions.RegistryPush,
        "team-a/app@sha256:abc", "127.0.0.1", "skopeo/1.14", AuditOutcome.Success, null,
        new SortedDictionary<string, string>(StringComparer.Ordinal) { ["tag"] = "v1", ["mediaType"] = "application/vnd.oci.image.manifest.v1+json" },
        AuditHead.GenesisHash, string.Empty);

    [Fact]
    public void Serialize_Record_IsSortedCompactJcs()
    {
        const string expected = """{"action":"registry.push","actor":{"id":"alice","kind":"user"},"clientAddress":"127.0.0.1","details":{"mediaType":"application/vnd.oci.image.manifest.v1+json","tag":"v1"},"outcome":"success","previousHash":"0000000000000000000000000000000000000000000000000000000000000000","reason":null,"sequence":1,"target":"team-a/app@sha256:abc","time":"2026-01-01T00:00:00.000Z","userAgent":"skopeo/1.14","version":1}""";
        Assert.Equal(expected, Encoding.UTF8.GetString(AuditCanonicalForm.Serialize(Push)));
        Assert.Equal("410f47d8e6cdd9094bba7f8fb7ecf5d21208d6286d018f3cd4ca275ba389e8f8", Push.ComputeHash());
    }

    [Fact]
    public void Serialize_Escapes_AsJsonStringify()
    {
        var record = Push with
        {
            Actor = AuditActor.Anonymous,
            Outcome = AuditOutcome.Denied,
            Reason = "quote\" back\\ nl\n tab\t bell\u0007 del\u007f é 😀 </script>",
            Details = null,
        };
        var text = Encoding.UTF8.GetString(AuditCanonicalForm.Serialize(record));
        Assert.Contains("\"reason\":\"quote\\\" back\\\\ nl\\n tab\\t bell\\u0007 del\u007f é 😀 </script>\"", text, StringComparison.Ordinal);
        Assert.Contains("\"actor\":{\"id\":null,\"kind\":\"anonymous\"}", text, StringComparison.Ordinal);
        Assert.Contains("\"details\":null", text, StringComparison.Ordinal);
        Assert.Equal("959df71a90b72041fe445113198e9b98da8a7c3fab995d5ca994e73f721e2340", record.ComputeHash());
    }

    [Fact]
    public void SerializeWithHash_PutsHashInSortedPlace()
    {
        var record = Push with { Hash = Push.ComputeHash() };
        var text = Encoding.UTF8.GetString(AuditCanonicalForm.SerializeWithHash(record));
        Assert.Contains($"\"details\":{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"tag\":\"v1\"}},\"hash\":\"{record.Hash}\",\"outcome\":", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SerializeCheckpointPayload_IsSortedCompactJcs()
    {
        var payload = AuditCanonicalForm.SerializeCheckpointPayload(42, string.Concat(Enumerable.Repeat("ab", 32)), AuditHarness.Start);
        Assert.Equal("""{"headHash":"abababababababababababababababababababababababababababababababab","sequence":42,"time":"2026-01-01T00:00:00.000Z","type":"bulwark.audit.checkpoint/v1"}""",
            Encoding.UTF8.GetString(payload));
    }

    [Fact]
    public void ComputeHash_AnyFieldChanged_Differs()
    {
        var hash = Push.ComputeHash();
        AuditRecord[] variants =
        [
            Push with { Sequence = 2 },
            Push with { Time = Push.Time.AddMilliseconds(1) },
            Push with { Actor = AuditActor.ServicePrincipal("alice") },
            Push with { Actor = AuditActor.User("alicf") },
            Push with { Action = AuditActions.RegistryDelete },
            Push with { Target = null },
            Push with { ClientAddress = "127.0.0.2" },
            Push with { UserAgent = "podman" },
            Push with { Outcome = AuditOutcome.Failure },
            Push with { Reason = string.Empty },
            Push with { Details = null },
            Push with { PreviousHash = new string('1', 64) },
        ];
        Assert.All(variants, v => Assert.NotEqual(hash, v.ComputeHash()));
        Assert.Equal(variants.Length, variants.Select(v => v.ComputeHash()).Distinct().Count());
    }

    [Fact]
    public void Catalogue_NamesAreUniqueLowerCaseDotted()
    {
        Assert.Equal(AuditActions.All.Count, AuditActions.All.Distinct().Count());
        Assert.All(AuditActions.All, a => Assert.Matches("^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$", a));
    }
}
