namespace Bulwark.Analysis.Inventory;

/// <summary>Package types, named as package-url types so that a type is also the purl's.</summary>
public static class PackageTypes
{
    public const string Deb = "deb";
    public const string Apk = "apk";
    public const string Rpm = "rpm";
}
