using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>
/// Stores timestamps as UTC Unix milliseconds, as the registry's metadata does: an integer column that orders and
/// compares the same way in SQLite and PostgreSQL.
/// </summary>
public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));
