namespace Bulwark.Analysis.Inventory;

/// <summary>How bad a secret or configuration finding is, lowest first.</summary>
public enum FindingSeverity
{
    Low,
    Medium,
    High,
    Critical,
}
