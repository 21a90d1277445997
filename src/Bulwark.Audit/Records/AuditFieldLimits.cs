namespace Bulwark.Audit.Records;

/// <summary>Maximum lengths (UTF-16 code units) of record fields; the database columns are sized from these.</summary>
public static class AuditFieldLimits
{
    public const int Action = 64;
    public const int ActorId = 256;
    public const int Target = 1024;
    public const int ClientAddress = 64;
    public const int UserAgent = 512;
    public const int Reason = 1024;
    public const int DetailCount = 16;
    public const int DetailKey = 64;
    public const int DetailValue = 8192;
}
