using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Storage;

namespace EvCloud.Fast.Ocpi.Tests;

public sealed class LastUpdatedIndexTests
{
    private static readonly (string, string)[] Ems = [("DE", "EMS")];

    [Fact]
    public void Page_IsOrderedByLastUpdated_WithTheDateRangeInclusiveFromExclusiveTo()
    {
        var index = new LastUpdatedIndex();
        index.Upsert("DE", "EMS", "c", 30);
        index.Upsert("DE", "EMS", "a", 10);
        index.Upsert("de", "ems", "b", 20); // CiString: the same party
        index.Upsert("DE", "EMS", "d", 40);
        index.Upsert("FR", "OTH", "x", 25); // another party: never seen by DE/EMS

        Assert.Equal(("a,b,c,d", 4), Flat(index.Page(Ems, null, null, 0, 10)));
        Assert.Equal(("b,c", 2), Flat(index.Page(Ems, 20, 40, 0, 10)));
        Assert.Equal(("c", 4), Flat(index.Page(Ems, null, null, 2, 1)));
        Assert.Equal(("", 4), Flat(index.Page(Ems, null, null, 4, 10)));
        Assert.Equal(("", 4), Flat(index.Page(Ems, null, null, int.MaxValue, 10)));
    }

    [Fact]
    public void Upsert_MovesAnObjectWhoseLastUpdatedChanged()
    {
        var index = new LastUpdatedIndex();
        index.Upsert("DE", "EMS", "s1", 10);
        index.Upsert("DE", "EMS", "s2", 20);
        index.Upsert("DE", "EMS", "s1", 30); // the session was updated

        Assert.Equal(("s2,s1", 2), Flat(index.Page(Ems, null, null, 0, 10)));
        Assert.Equal(("s1", 1), Flat(index.Page(Ems, 25, null, 0, 10)));
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void APartnerWithSeveralParties_PagesOverTheirMerge()
    {
        var index = new LastUpdatedIndex();
        for (int i = 0; i < 10; i++)
        {
            index.Upsert(i % 2 == 0 ? "DE" : "NL", i % 2 == 0 ? "EMS" : "EM2", "k" + i, i);
        }

        (string, string)[] both = [("DE", "EMS"), ("NL", "EM2")];
        Assert.Equal(("k3,k4,k5", 10), Flat(index.Page(both, null, null, 3, 3)));
        Assert.Equal(("k6,k7", 4), Flat(index.Page(both, 6, null, 0, 2)));
    }

    [Fact]
    public void DateBounds_RoundAFinerDateUp_SoItsMillisecondIsNotTakenIn()
    {
        // A partner's date_from with 7 fractional digits: an object at .123 is before .1234567.
        Assert.True(OcpiDates.TryParse("2026-01-01T00:00:00.1234567Z", out DateTimeOffset fine));
        var page = new OcpiPage(0, 10, fine, null);
        long objectMs = new DateTimeOffset(2026, 1, 1, 0, 0, 0, 123, TimeSpan.Zero).ToUnixTimeMilliseconds();

        Assert.Equal(objectMs + 1, page.FromMs);
        Assert.False(page.Matches(DateTimeOffset.FromUnixTimeMilliseconds(objectMs)));
        Assert.Equal(objectMs, new OcpiPage(0, 10, DateTimeOffset.FromUnixTimeMilliseconds(objectMs), null).FromMs);
    }

    private static (string Keys, int Total) Flat((List<string> Keys, int Total) page) => (string.Join(",", page.Keys), page.Total);
}
