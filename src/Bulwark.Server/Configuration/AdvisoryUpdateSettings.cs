namespace Bulwark.Server.Configuration;

/// <summary>The scheduled advisory update: off when <see cref="Sources"/> is empty.</summary>
public sealed class AdvisoryUpdateSettings
{
    /// <summary>Time between updates; the first runs at start. Zero disables the schedule.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    public List<AdvisorySourceSettings> Sources { get; set; } = [];
}
