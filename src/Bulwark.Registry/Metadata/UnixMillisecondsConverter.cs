using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bulwark.Registry.Metadata;

/// <summary>
/// Stores timestamps as UTC Unix milliseconds: an integer column that orders and compares the same way in
/// SQLite (which cannot compare DateTimeOffset text) and PostgreSQL.
/// </summary>
public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));
