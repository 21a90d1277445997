using System.Globalization;
using System.Text;
using System.Text.Json;
using Bulwark.Audit.Records;
using Microsoft.EntityFrameworkCore;

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

    private const int ColumnCount = 13;

    // One multi-row INSERT per batch size, built once: the writer commits up to a few hundred records at a time, and
    // one statement costs a fraction of what change tracking one entity per record does.
    private static readonly string?[] InsertStatements = new string?[1025];

    /// <summary>Inserts the records with one statement (portable SQL: SQLite and PostgreSQL).</summary>
    public static void InsertAll(AuditDbContext db, IReadOnlyList<AuditRecord> records)
    {
        var parameters = new object?[records.Count * ColumnCount];
        var i = 0;
        foreach (var record in records)
        {
            var row = ToEntity(record);
            parameters[i++] = row.Sequence;
            parameters[i++] = row.Time.ToUnixTimeMilliseconds();
            parameters[i++] = row.ActorKind;
            parameters[i++] = row.ActorId;
            parameters[i++] = row.Action;
            parameters[i++] = row.Target;
            parameters[i++] = row.ClientAddress;
            parameters[i++] = row.UserAgent;
            parameters[i++] = row.Outcome;
            parameters[i++] = row.Reason;
            parameters[i++] = row.Details;
            parameters[i++] = row.PreviousHash;
            parameters[i++] = row.Hash;
        }

        db.Database.ExecuteSqlRaw(InsertStatement(records.Count), parameters!);
    }

    private static string InsertStatement(int rows)
    {
        if (rows < InsertStatements.Length && InsertStatements[rows] is { } cached)
        {
            return cached;
        }

        var sql = new StringBuilder("INSERT INTO \"audit_records\" (\"Sequence\", \"Time\", \"ActorKind\", \"ActorId\", \"Action\", "
            + "\"Target\", \"ClientAddress\", \"UserAgent\", \"Outcome\", \"Reason\", \"Details\", \"PreviousHash\", \"Hash\") VALUES ");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < ColumnCount; column++)
            {
                sql.Append(column == 0 ? "{" : ", {").Append(CultureInfo.InvariantCulture, $"{(row * ColumnCount) + column}").Append('}');
            }

            sql.Append(')');
        }

        var statement = sql.ToString();
        if (rows < InsertStatements.Length)
        {
            InsertStatements[rows] = statement;
        }

        return statement;
    }

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
