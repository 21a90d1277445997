namespace Bulwark.Analysis.Inventory;

/// <summary>Package types, named as package-url types so that a type is also the purl's.</summary>
public static class PackageTypes
{
    public const string Deb = "deb";
    public const string Apk = "apk";
    public const string Rpm = "rpm";
    public const string Npm = "npm";
    public const string PyPI = "pypi";
    public const string NuGet = "nuget";
    public const string Golang = "golang";
    public const string Maven = "maven";
    public const string Gem = "gem";
    public const string Cargo = "cargo";
    public const string Composer = "composer";
}
