using System.Globalization;
using System.Text;

namespace EvCloud.Fast.Tariffs;

/// <summary>Where a pricing piece is evaluated: local wall-clock ticks, session energy and duration, current and power.</summary>
internal readonly record struct MatchContext(long LocalTicks, decimal EnergyKwh, long DurationTicks, decimal? CurrentA, decimal? PowerKw);

/// <summary>A <see cref="TariffElement"/> with its restrictions parsed into what the pricing loop compares.</summary>
internal sealed class CompiledElement
{
    private readonly bool _hasTimeOfDay;
    private readonly long _startTod;
    private readonly long _endTod;
    private readonly int _startDay;
    private readonly int _endDay;
    private readonly int _dayMask;
    private readonly decimal? _minKwh;
    private readonly decimal? _maxKwh;
    private readonly decimal? _minCurrent;
    private readonly decimal? _maxCurrent;
    private readonly decimal? _minPower;
    private readonly decimal? _maxPower;
    private readonly long _minDuration;
    private readonly long _maxDuration;

    public CompiledElement(int index, TariffElement source)
    {
        Index = index;
        Source = source;
        foreach (var component in source.PriceComponents)
        {
            // NOTE: a second component of one dimension inside one element is unreachable: per dimension only one
            // component is active (mod_tariffs Tariff object), so the first one in the element is used.
            switch (component.Type)
            {
                case TariffDimensionType.Energy: Energy ??= component; break;
                case TariffDimensionType.Time: Time ??= component; break;
                case TariffDimensionType.ParkingTime: Parking ??= component; break;
                case TariffDimensionType.Flat: Flat ??= component; break;
            }
        }

        var r = source.Restrictions;
        _minDuration = -1;
        _maxDuration = -1;
        _startDay = int.MinValue;
        _endDay = int.MaxValue;
        if (r is null)
        {
            return;
        }
        Reservation = r.Reservation;
        if (r.StartTime is not null || r.EndTime is not null)
        {
            _startTod = r.StartTime?.Ticks ?? 0;
            // mod_tariffs TariffRestrictions end_time: "To stop at end of the day use: 00:00".
            _endTod = r.EndTime is { } end && end.Ticks != 0 ? end.Ticks : TimeSpan.TicksPerDay;
            _hasTimeOfDay = _startTod != _endTod && !(_startTod == 0 && _endTod == TimeSpan.TicksPerDay);
        }
        if (r.StartDate is { } sd)
        {
            _startDay = sd.DayNumber;
        }
        if (r.EndDate is { } ed)
        {
            _endDay = ed.DayNumber;
        }
        if (r.DayOfWeek is { Count: > 0 } days)
        {
            foreach (var d in days)
            {
                _dayMask |= 1 << (int)d;
            }
        }
        _minKwh = r.MinKwh;
        _maxKwh = r.MaxKwh;
        _minCurrent = r.MinCurrent;
        _maxCurrent = r.MaxCurrent;
        _minPower = r.MinPower;
        _maxPower = r.MaxPower;
        if (r.MinDuration is { } minD)
        {
            _minDuration = minD * TimeSpan.TicksPerSecond;
        }
        if (r.MaxDuration is { } maxD)
        {
            _maxDuration = maxD * TimeSpan.TicksPerSecond;
        }
        HasCalendarRestriction = _hasTimeOfDay || r.StartDate is not null || r.EndDate is not null || _dayMask != 0;
        HasCurrentOrPowerRestriction = r.MinCurrent is not null || r.MaxCurrent is not null || r.MinPower is not null || r.MaxPower is not null;
        HasPowerRestriction = r.MinPower is not null || r.MaxPower is not null;
    }

    public int Index { get; }

    public TariffElement Source { get; }

    public PriceComponent? Energy { get; }

    public PriceComponent? Time { get; }

    public PriceComponent? Parking { get; }

    public PriceComponent? Flat { get; }

    public ReservationRestrictionType? Reservation { get; }

    public bool HasCalendarRestriction { get; }

    public bool HasCurrentOrPowerRestriction { get; }

    public bool HasPowerRestriction { get; }

    /// <summary>Time-of-day ticks at which this element's time window opens or closes; they split periods.</summary>
    public void AddTimeOfDayBoundaries(List<long> into)
    {
        if (_hasTimeOfDay)
        {
            into.Add(_startTod);
            into.Add(_endTod % TimeSpan.TicksPerDay);
        }
    }

    public void AddKwhThresholds(List<decimal> into)
    {
        if (_minKwh is { } min)
        {
            into.Add(min);
        }
        if (_maxKwh is { } max)
        {
            into.Add(max);
        }
    }

    public void AddDurationThresholds(List<long> into)
    {
        if (_minDuration >= 0)
        {
            into.Add(_minDuration);
        }
        if (_maxDuration >= 0)
        {
            into.Add(_maxDuration);
        }
    }

    /// <summary>mod_tariffs TariffRestrictions, every set field ANDed, bounds as the spec states them.</summary>
    public bool Matches(in MatchContext c)
    {
        if (_hasTimeOfDay)
        {
            var tod = c.LocalTicks % TimeSpan.TicksPerDay;
            // start_time inclusive, end_time exclusive; end before start wraps past midnight.
            if (_startTod < _endTod ? tod < _startTod || tod >= _endTod : tod < _startTod && tod >= _endTod)
            {
                return false;
            }
        }
        if (_startDay != int.MinValue || _endDay != int.MaxValue || _dayMask != 0)
        {
            var day = (int)(c.LocalTicks / TimeSpan.TicksPerDay);
            // start_date inclusive, end_date exclusive.
            if (day < _startDay || day >= _endDay)
            {
                return false;
            }
            // Day 0 (0001-01-01) was a Monday, OcpiDayOfWeek.Monday is 0.
            if (_dayMask != 0 && (_dayMask & (1 << (day % 7))) == 0)
            {
                return false;
            }
        }
        // min_kwh inclusive, max_kwh exclusive.
        if ((_minKwh is { } minKwh && c.EnergyKwh < minKwh) || (_maxKwh is { } maxKwh && c.EnergyKwh >= maxKwh))
        {
            return false;
        }
        // min_duration inclusive, max_duration exclusive.
        if ((_minDuration >= 0 && c.DurationTicks < _minDuration) || (_maxDuration >= 0 && c.DurationTicks >= _maxDuration))
        {
            return false;
        }
        // min_current / min_power: active at "more than, or equal to"; max_*: active at "less than".
        // NOTE: an unknown current or power cannot prove a restriction on it, so the element does not apply.
        if (_minCurrent is { } minA && (c.CurrentA is not { } a1 || a1 < minA))
        {
            return false;
        }
        if (_maxCurrent is { } maxA && (c.CurrentA is not { } a2 || a2 >= maxA))
        {
            return false;
        }
        if (_minPower is { } minP && (c.PowerKw is not { } p1 || p1 < minP))
        {
            return false;
        }
        if (_maxPower is { } maxP && (c.PowerKw is not { } p2 || p2 >= maxP))
        {
            return false;
        }
        return true;
    }

    /// <summary>The restrictions as a support desk reads them, e.g. "start_time 17:00, end_time 20:00".</summary>
    public string DescribeRestrictions()
    {
        var r = Source.Restrictions;
        if (r is null)
        {
            return "no restrictions";
        }
        var sb = new StringBuilder();
        void Add(string name, string? value)
        {
            if (value is null)
            {
                return;
            }
            if (sb.Length > 0)
            {
                sb.Append(", ");
            }
            sb.Append(name).Append(' ').Append(value);
        }
        var ci = CultureInfo.InvariantCulture;
        Add("start_time", r.StartTime?.ToString("HH:mm", ci));
        Add("end_time", r.EndTime?.ToString("HH:mm", ci));
        Add("start_date", r.StartDate?.ToString("yyyy-MM-dd", ci));
        Add("end_date", r.EndDate?.ToString("yyyy-MM-dd", ci));
        Add("min_kwh", r.MinKwh?.ToString(ci));
        Add("max_kwh", r.MaxKwh?.ToString(ci));
        Add("min_current", r.MinCurrent?.ToString(ci));
        Add("max_current", r.MaxCurrent?.ToString(ci));
        Add("min_power", r.MinPower?.ToString(ci));
        Add("max_power", r.MaxPower?.ToString(ci));
        Add("min_duration", r.MinDuration is { } a ? a.ToString(ci) + " s" : null);
        Add("max_duration", r.MaxDuration is { } b ? b.ToString(ci) + " s" : null);
        Add("day_of_week", r.DayOfWeek is { Count: > 0 } d ? string.Join('/', d) : null);
        Add("reservation", r.Reservation?.ToString());
        return sb.Length == 0 ? "no restrictions" : sb.ToString();
    }
}
