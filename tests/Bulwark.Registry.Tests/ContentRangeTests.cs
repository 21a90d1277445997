using Bulwark.Registry.Uploads;

namespace Bulwark.Registry.Tests;

public sealed class ContentRangeTests
{
    [Theory]
    [InlineData("0-99", 0, 99)]
    [InlineData("100-100", 100, 100)]
    [InlineData("bytes 5-9/10", 5, 9)]
    [InlineData("bytes 5-9/*", 5, 9)]
    public void TryParse_Valid(string header, long start, long end)
    {
        Assert.True(ContentRange.TryParse(header, out var range));
        Assert.Equal(new ContentRange(start, end), range);
        Assert.Equal(end - start + 1, range.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("-5")]
    [InlineData("9-5")]
    [InlineData("a-b")]
    [InlineData("1-2-3")]
    [InlineData("99999999999999999999-1")]
    public void TryParse_Invalid(string header) => Assert.False(ContentRange.TryParse(header, out _));
}
