namespace Bulwark.Server.Scanning;

/// <summary>Where an image's scan job is: stored lower-case in the database and in the API.</summary>
public enum ScanStatus
{
    /// <summary>Queued, or waiting for a retry after a failed attempt.</summary>
    Pending,

    /// <summary>Claimed by a worker that holds a lease on it.</summary>
    Scanning,

    /// <summary>Analysed and matched; the results are stored.</summary>
    Done,

    /// <summary>Every attempt failed; <c>error</c> says why of the last one.</summary>
    Failed,
}
