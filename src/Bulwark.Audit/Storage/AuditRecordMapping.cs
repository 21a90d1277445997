using System.Text.Json;
using Bulwark.Audit.Records;

namespace Bulwark.Audit.Storage;

/// <summary>Converts between records and rows. Reading is strict: a row whose values are outside the format
/// (an unknown outcome, details that are not an object of strings) was edited, and says so.</summary>
internal static class AuditRecordMapping
{
    public static AuditRecordEntity ToEntity(AuditRecord record) => new()
    {
        Sequence = record.Sequence,
        Time = record.Time,
        ActorKind = record.Actor.Kind.ToWire(),
        ActorId = record.Actor.Id,
        Action = record.Action,
        Target = record.Target,
        ClientAddress = record.ClientAddress,
        UserAgent = record.UserAgent,
        Outcome = record.Outcome.ToWire(),
        Reason = record.Reason,
        Details = record.Details is { Count: > 0 } details ? AuditCanonicalForm.SerializeDetails(details) : null,
        PreviousHash = record.PreviousHash,
        Hash = record.Hash,
    };

    /// <exception cref="AuditRecordFormatException">The row holds a value no record can have.</exception>
    public static AuditRecord ToRecord(AuditRecordEntity row)
    {
        if (!AuditWireNames.TryParseActorKind(row.ActorKind, out var kind))
        {
            throw new AuditRecordFormatException(row.Sequence, $"record {row.Sequence} has an unknown actor kind");
        }

        if (!AuditWireNames.TryParseOutcome(row.Outcome, out var outcome))
        {
            throw new AuditRecordFormatException(row.Sequence, $"record {row.Sequence} has an unknown outcome");
        }

        return new AuditRecord(row.Sequence, row.Time, new AuditActor(kind, row.ActorId), row.Action, row.Target,
            row.ClientAddress, row.UserAgent, outcome, row.Reason, ParseDetails(row.Sequence, row.Details), row.PreviousHash, row.Hash);
    }

    private static SortedDictionary<string, string>? ParseDetails(long sequence, string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new AuditRecordFormatException(sequence, $"record {sequence} has details that are not an object");
            }

            var details = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String || !details.TryAdd(property.Name, property.Value.GetString()!))
                {
                    throw new AuditRecordFormatException(sequence, $"record {sequence} has malformed details");
                }
            }

            return details;
        }
        catch (JsonException e)
        {
            throw new AuditRecordFormatException(sequence, $"record {sequence} has details that are not JSON: {e.Message}");
        }
    }
}
