using System.Text;
using EvCloud.Fast.Ocpp.Messages;

namespace EvCloud.Fast.Ocpp.Tests.Messages;

public class DateTimeFormatTests
{
    [Theory]
    [InlineData("2024-01-01T12:00:00Z")]
    [InlineData("2024-01-01T12:00:00.1Z")]
    [InlineData("2024-01-01T12:00:00.123456789012Z")]
    [InlineData("2024-01-01T12:00:00+01:00")]
    [InlineData("2024-01-01T12:00:00-05:30")]
    [InlineData("2024-01-01t12:00:00z")] // RFC 3339 §5.6 NOTE: lowercase t and z
    [InlineData("2024-01-01 12:00:00Z")] // RFC 3339 §5.6 NOTE: a space separator, as ajv-formats accepts
    [InlineData("2024-01-01T12:00:00+0100")] // no colon in the offset, as ajv-formats accepts
    [InlineData("2024-01-01T12:00:00+01")] // hour-only offset, as ajv-formats accepts
    [InlineData("2024-01-01T12:00:00")] // no offset: accepted leniently, read as UTC
    [InlineData("2024-01-01T12:00:00.500")] // no offset with a fraction
    [InlineData("2024-02-29T00:00:00Z")] // leap year
    [InlineData("2000-02-29T00:00:00Z")] // divisible by 400
    [InlineData("2016-12-31T23:59:60Z")] // leap second at 23:59:60 UTC
    [InlineData("2017-01-01T00:59:60+01:00")] // the same leap second in local time
    public void Valid(string value) => Assert.True(DateTimeFormat.IsValid(Encoding.UTF8.GetBytes(value)));

    [Theory]
    [InlineData("")] // empty
    [InlineData("2024-01-01")] // date only
    [InlineData("12:00:00Z")] // time only
    [InlineData("2024-1-01T12:00:00Z")] // one-digit month
    [InlineData("2024-00-01T12:00:00Z")] // month 0
    [InlineData("2024-01-32T12:00:00Z")] // day 32
    [InlineData("2024-04-31T12:00:00Z")] // April has 30 days
    [InlineData("1900-02-29T00:00:00Z")] // 1900 is not a leap year
    [InlineData("2024-01-01T24:00:00Z")] // hour 24
    [InlineData("2024-01-01T12:60:00Z")] // minute 60
    [InlineData("2024-01-01T12:00:60Z")] // second 60 outside a leap second
    [InlineData("2024-01-01T12:00:00.Z")] // fraction without digits
    [InlineData("2024-01-01T12:00:00,5Z")] // comma fraction (ISO 8601, not RFC 3339)
    [InlineData("2024-01-01T12:00:00ZZ")] // trailing garbage
    [InlineData("2024-01-01T12:00:00+1:00")] // one-digit offset hour
    [InlineData("2024-01-01T12:00:00+24:00")] // offset hour 24
    [InlineData("2024-01-01T12:00:00+01:60")] // offset minute 60
    [InlineData("2024-01-01T12:00:00+01:0")] // short offset minute
    [InlineData("2024-01-01X12:00:00Z")] // X is not a separator
    [InlineData("2024-01-01T12:00Z")] // seconds are required
    [InlineData("20240101T120000Z")] // ISO 8601 basic format
    [InlineData("2024-01-01T12:00:00 Z")] // space before the offset
    [InlineData("２０２４-01-01T12:00:00Z")] // full-width digits
    public void Invalid(string value) => Assert.False(DateTimeFormat.IsValid(Encoding.UTF8.GetBytes(value)));
}
