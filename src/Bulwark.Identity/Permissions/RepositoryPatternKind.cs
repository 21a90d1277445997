namespace Bulwark.Identity.Permissions;

public enum RepositoryPatternKind
{
    Exact,
    OneLevel,
    AnyDepth,
}
