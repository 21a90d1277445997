using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bulwark.Server.Scanning;

/// <summary>Timestamps as UTC Unix milliseconds, so that they compare and order the same in SQLite and PostgreSQL.</summary>
public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));
