using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bulwark.Identity.Storage;

/// <summary>Timestamps as UTC Unix milliseconds, the registry's convention: integer columns that compare the same in SQLite and PostgreSQL.</summary>
public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));
