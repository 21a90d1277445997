using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Bulwark.Policy.Admission;
using Bulwark.Server.Admission;
using Bulwark.Server.Tests.Scanning;
using Bulwark.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Server.Tests.Admission;

/// <summary>
/// The webhook's facts cache in a running server, on a fake clock (cacheDuration 1 minute): an image in use is reloaded
/// in the background in the second half of its entry's life, so a change (here the image is deleted) is seen within
/// the cache duration although no review ever waited for the database.
/// </summary>
public sealed class AdmissionCacheTests
{
    private const string Image = $"{AdmissionWebhookTests.Host}/team/cached:1";

    [Fact]
    public async Task ImageInUse_IsRefreshedInTheBackground_AndAChangeIsSeenWithinTheCacheDuration()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await LiveServer.StartAsync(o =>
        {
            AdmissionWebhookTests.Fixture.Configure(o);
            o.Admission.CacheDuration = TimeSpan.FromMinutes(1);
        }, builder => builder.Services.AddSingleton<TimeProvider>(time));
        var (digest, _) = await ScanTestImages.PushAsync(server, "team/cached", "1", ScanTestImages.DebianLayer("admission-cache"));
        await ScanTestImages.WaitForStatusAsync(server, "team/cached", "1", "done");
        var facts = (RegistryAdmissionImageFacts)server.App.Services.GetRequiredService<IAdmissionImageFacts>();
        Assert.True(await AllowedAsync(server, "first"));

        using (var deleted = await server.Client.DeleteAsync(new Uri($"/v2/team/cached/manifests/{digest}", UriKind.Relative)))
        {
            deleted.EnsureSuccessStatusCode();
        }

        // First half of the entry's life: answered from the cache, no lookup.
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await AllowedAsync(server, "cached"));
        await facts.IdleAsync();
        Assert.True(await AllowedAsync(server, "still-cached"));

        // Second half: still answered from the (valid) entry, and a lookup starts in the background …
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await AllowedAsync(server, "refreshing"));
        await facts.IdleAsync();

        // … which finds the image gone: the next review is denied, 40 s after the change, within the minute.
        Assert.False(await AllowedAsync(server, "refreshed"));
    }

    private static async Task<bool> AllowedAsync(LiveServer server, string name)
    {
        var spec = AdmissionReviews.RestrictedPodSpec("registry.k8s.io/pause:3.9", [Image]);
        using var content = new ByteArrayContent(AdmissionReviews.Bytes(
            AdmissionReviews.Review("v1", "Pod", "pods", AdmissionReviews.Workload("v1", "Pod", [], name, "shop", spec))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await server.Anonymous.PostAsync(new Uri("/k8s/admission/validate", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!["allowed"]!.GetValue<bool>();
    }
}
