namespace Bulwark.Audit;

/// <summary>The order of a query's pages.</summary>
public enum AuditOrder
{
    NewestFirst,
    OldestFirst,
}
