using System.Globalization;

namespace EvCloud.Fast.Tariffs;

/// <summary>The state of pricing one session: the piece loop, accumulators per element, periods being built.</summary>
internal sealed class PricingRun
{
    private const int NoElement = -1;
    private const int DimEnergy = 0;
    private const int DimTime = 1;
    private const int DimParking = 2;
    private const int DimFlat = 3;
    private const int DimReservationTime = 4;
    private const int DimReservationFlat = 5;

    private readonly TariffPricer _pricer;
    private readonly SessionUsage _session;
    private readonly CompiledElement[] _elements;
    private readonly ZoneClock _clock;
    private readonly long[] _calendarCuts;
    private int _calendarIndex;
    private long[] _durationCuts = [];
    private int _durationIndex;
    private int _kwhIndex;

    private readonly decimal[] _energy;
    private readonly long[] _timeTicks;
    private readonly long[] _parkingTicks;
    private readonly long[] _reservationTicks;
    private readonly List<int> _firstUse = new(8);
    private readonly bool[] _used;

    private PricingPhase _phase;
    private long _durationOrigin;
    private bool _expired;
    private bool _needsMatch = true;
    private int _energyElement = NoElement;
    private int _timeElement = NoElement;
    private int _flatElement = NoElement;
    private int _reservationFlatElement = NoElement;
    private bool _charging;

    private int _lastEnergyElement = NoElement;
    private int _lastTimeElement = NoElement;
    private int _lastParkingElement = NoElement;
    private int _lastReservationElement = NoElement;
    private int _lastTimeBasedDimension = NoElement;

    private decimal _totalEnergy;
    private long _totalParkingTicks;
    private long _totalReservationTicks;

    private readonly List<ChargingPeriod> _periods = new(8);
    private bool _periodOpen;
    private long _periodStart;
    private PricingPhase _periodPhase;
    private int _periodEnergyElement;
    private int _periodTimeElement;
    private bool _periodCharging;
    private decimal _periodEnergy;
    private long _periodTicks;
    private decimal? _periodMinCurrent;
    private decimal? _periodMaxCurrent;
    private decimal? _periodMinPower;
    private decimal? _periodMaxPower;

    public PricingRun(TariffPricer pricer, SessionUsage session)
    {
        _pricer = pricer;
        _session = session;
        _elements = pricer.Elements;
        var n = _elements.Length;
        _energy = new decimal[n];
        _timeTicks = new long[n];
        _parkingTicks = new long[n];
        _reservationTicks = new long[n];
        _used = new bool[n * 6];
        var from = (session.Reservation?.ReservedAt ?? session.Start).UtcTicks;
        var to = session.End.UtcTicks;
        _clock = ZoneClock.For(session.TimeZone, from, to);
        if (pricer.TimesOfDay.Length > 0)
        {
            var cuts = new List<long>(8);
            _clock.AddWallClockInstants(pricer.TimesOfDay, from, to, cuts);
            cuts.Sort();
            _calendarCuts = [.. cuts];
        }
        else
        {
            _calendarCuts = [];
        }
    }

    public PricedSession Run()
    {
        var reservation = _session.Reservation;
        if (reservation is not null)
        {
            _phase = PricingPhase.Reservation;
            _expired = reservation.Expired;
            var a = reservation.ReservedAt.UtcTicks;
            var b = _session.Start.UtcTicks;
            StartPhase(a);
            if (b > a)
            {
                Interval(a, b, 0m, 0m, charging: false, currentA: null, powerKw: null);
            }
            if (_reservationFlatElement == NoElement)
            {
                Match(a, 0m, null, null);
            }
            ClosePeriod();
        }
        if (reservation is not { Expired: true })
        {
            _phase = PricingPhase.Session;
            RunSession();
        }
        return Finish();
    }

    private void StartPhase(long origin)
    {
        _durationOrigin = origin;
        _needsMatch = true;
        _kwhIndex = 0;
        _durationIndex = 0;
        var thresholds = _pricer.DurationThresholds;
        _durationCuts = new long[thresholds.Length];
        for (var i = 0; i < thresholds.Length; i++)
        {
            _durationCuts[i] = origin + thresholds[i];
        }
    }

    private void RunSession()
    {
        var start = _session.Start.UtcTicks;
        var end = _session.End.UtcTicks;
        StartPhase(start);
        var points = _session.Points;
        var n = points.Length;
        if (end > start)
        {
            var reference = EnergyAt(points, start);
            var previousCharging = !points[0].IsCharging;
            // Interval k runs from point k to point k+1; k = -1 is before the first point and k = n-1 after the last,
            // both with flat energy.
            for (var k = -1; k < n; k++)
            {
                var left = k < 0 ? long.MinValue : points[k].Timestamp.UtcTicks;
                var right = k + 1 < n ? points[k + 1].Timestamp.UtcTicks : long.MaxValue;
                if (right <= start)
                {
                    continue;
                }
                if (left >= end)
                {
                    break;
                }
                ref readonly var state = ref points[k < 0 ? 0 : k];
                var a = Math.Max(left, start);
                var b = Math.Min(right, end);
                var ea = EnergyAt(points, k, a) - reference;
                var eb = EnergyAt(points, k, b) - reference;
                var power = state.PowerKw;
                if (power is null && _pricer.HasPowerRestriction)
                {
                    power = k < 0 || k + 1 >= n
                        ? 0m
                        : (points[k + 1].EnergyKwh - state.EnergyKwh) * TimeSpan.TicksPerHour / (right - left);
                }
                if (_pricer.HasCurrentOrPowerRestriction || state.IsCharging != previousCharging)
                {
                    _needsMatch = true;
                }
                previousCharging = state.IsCharging;
                Interval(a, b, ea, eb, state.IsCharging, state.CurrentA, power);
            }
        }
        if (_flatElement == NoElement)
        {
            // A session that never got a piece (zero length) still owes its flat fee.
            Match(start, 0m, n > 0 ? points[0].CurrentA : null, n > 0 ? points[0].PowerKw : null);
        }
        ClosePeriod();
    }

    private static decimal EnergyAt(ReadOnlySpan<MeterPoint> points, long t)
    {
        if (t <= points[0].Timestamp.UtcTicks)
        {
            return points[0].EnergyKwh;
        }
        for (var k = 0; k + 1 < points.Length; k++)
        {
            if (t < points[k + 1].Timestamp.UtcTicks)
            {
                return EnergyAt(points, k, t);
            }
        }
        return points[^1].EnergyKwh;
    }

    private static decimal EnergyAt(ReadOnlySpan<MeterPoint> points, int k, long t)
    {
        if (k < 0)
        {
            return points[0].EnergyKwh;
        }
        ref readonly var p = ref points[k];
        if (k + 1 >= points.Length || t == p.Timestamp.UtcTicks)
        {
            return p.EnergyKwh;
        }
        ref readonly var q = ref points[k + 1];
        var t0 = p.Timestamp.UtcTicks;
        var t1 = q.Timestamp.UtcTicks;
        return t == t1 ? q.EnergyKwh : p.EnergyKwh + ((q.EnergyKwh - p.EnergyKwh) * (t - t0) / (t1 - t0));
    }

    /// <summary>Splits one meter interval at every instant an element can start or stop applying, and prices each piece.</summary>
    private void Interval(long a, long b, decimal ea, decimal eb, bool charging, decimal? currentA, decimal? powerKw)
    {
        var calendar = _calendarCuts;
        var durations = _durationCuts;
        var kwh = _pricer.KwhThresholds;
        var t = a;
        var e = ea;
        while (t < b)
        {
            var next = b;
            var nextEnergy = eb;
            var exactEnergy = true;
            while (_calendarIndex < calendar.Length && calendar[_calendarIndex] <= t)
            {
                _calendarIndex++;
                _needsMatch = true;
            }
            if (_calendarIndex < calendar.Length && calendar[_calendarIndex] < next)
            {
                next = calendar[_calendarIndex];
                exactEnergy = false;
            }
            while (_durationIndex < durations.Length && durations[_durationIndex] <= t)
            {
                _durationIndex++;
                _needsMatch = true;
            }
            if (_durationIndex < durations.Length && durations[_durationIndex] < next)
            {
                next = durations[_durationIndex];
                exactEnergy = false;
            }
            if (eb > e && kwh.Length > 0)
            {
                while (_kwhIndex < kwh.Length && kwh[_kwhIndex] <= e)
                {
                    _kwhIndex++;
                    _needsMatch = true;
                }
                if (_kwhIndex < kwh.Length && kwh[_kwhIndex] < eb)
                {
                    var threshold = kwh[_kwhIndex];
                    var crossing = t + (long)Math.Ceiling((threshold - e) * (b - t) / (eb - e));
                    if (crossing <= next && crossing < b)
                    {
                        next = crossing;
                        nextEnergy = threshold;
                        exactEnergy = true;
                    }
                }
            }
            if (!exactEnergy)
            {
                nextEnergy = e + ((eb - e) * (next - t) / (b - t));
            }
            Piece(t, next, e, nextEnergy, charging, currentA, powerKw);
            if (next < b)
            {
                _needsMatch = true;
            }
            t = next;
            e = nextEnergy;
        }
    }

    private void Piece(long t0, long t1, decimal e0, decimal e1, bool charging, decimal? currentA, decimal? powerKw)
    {
        if (_needsMatch || charging != _charging)
        {
            _charging = charging;
            Match(t0, e0, currentA, powerKw);
            _needsMatch = false;
        }
        var timeElement = _timeElement;
        var energyElement = _energyElement;
        if (!_periodOpen || _periodEnergyElement != energyElement || _periodTimeElement != timeElement
            || _periodCharging != charging || _periodPhase != _phase)
        {
            ClosePeriod();
            _periodOpen = true;
            _periodStart = t0;
            _periodPhase = _phase;
            _periodEnergyElement = energyElement;
            _periodTimeElement = timeElement;
            _periodCharging = charging;
        }
        var dt = t1 - t0;
        var de = e1 - e0;
        _periodTicks += dt;
        if (_phase == PricingPhase.Reservation)
        {
            _totalReservationTicks += dt;
            if (timeElement != NoElement && dt > 0)
            {
                _reservationTicks[timeElement] += dt;
                _lastReservationElement = timeElement;
                Use(DimReservationTime, timeElement);
            }
            return;
        }
        _periodEnergy += de;
        _totalEnergy += de;
        if (currentA is { } current)
        {
            _periodMinCurrent = _periodMinCurrent is { } minA && minA <= current ? minA : current;
            _periodMaxCurrent = _periodMaxCurrent is { } maxA && maxA >= current ? maxA : current;
        }
        if (powerKw is { } power)
        {
            _periodMinPower = _periodMinPower is { } minP && minP <= power ? minP : power;
            _periodMaxPower = _periodMaxPower is { } maxP && maxP >= power ? maxP : power;
        }
        if (energyElement != NoElement && de != 0)
        {
            _energy[energyElement] += de;
            _lastEnergyElement = energyElement;
            Use(DimEnergy, energyElement);
        }
        if (charging)
        {
            if (timeElement != NoElement && dt > 0)
            {
                _timeTicks[timeElement] += dt;
                _lastTimeElement = timeElement;
                _lastTimeBasedDimension = DimTime;
                Use(DimTime, timeElement);
            }
        }
        else
        {
            _totalParkingTicks += dt;
            if (timeElement != NoElement && dt > 0)
            {
                _parkingTicks[timeElement] += dt;
                _lastParkingElement = timeElement;
                _lastTimeBasedDimension = DimParking;
                Use(DimParking, timeElement);
            }
        }
    }

    private void Use(int dimension, int element)
    {
        var key = (element * 6) + dimension;
        if (!_used[key])
        {
            _used[key] = true;
            _firstUse.Add(key);
        }
    }

    /// <summary>mod_tariffs Tariff object: per dimension, the first element in the list that matches and prices it.</summary>
    private void Match(long t, decimal energy, decimal? currentA, decimal? powerKw)
    {
        var context = new MatchContext(_clock.ToLocal(t), energy, t - _durationOrigin, currentA, powerKw);
        if (_phase == PricingPhase.Reservation)
        {
            _energyElement = NoElement;
            _timeElement = First(_expired ? _pricer.ExpiredTime : _pricer.ReservationTime, in context);
            if (_reservationFlatElement == NoElement)
            {
                _reservationFlatElement = First(_expired ? _pricer.ExpiredFlat : _pricer.ReservationFlat, in context);
                if (_reservationFlatElement != NoElement)
                {
                    Use(DimReservationFlat, _reservationFlatElement);
                }
            }
            return;
        }
        _energyElement = First(_pricer.SessionEnergy, in context);
        _timeElement = First(_charging ? _pricer.SessionTime : _pricer.SessionParking, in context);
        if (_flatElement == NoElement)
        {
            _flatElement = First(_pricer.SessionFlat, in context);
            if (_flatElement != NoElement)
            {
                Use(DimFlat, _flatElement);
            }
        }
    }

    private int First(int[] candidates, in MatchContext context)
    {
        foreach (var i in candidates)
        {
            if (_elements[i].Matches(in context))
            {
                return i;
            }
        }
        return NoElement;
    }

    private void ClosePeriod()
    {
        if (!_periodOpen)
        {
            return;
        }
        _periodOpen = false;
        var dimensions = new List<CdrDimension>(6);
        var hours = (decimal)_periodTicks / TimeSpan.TicksPerHour;
        if (_periodPhase == PricingPhase.Reservation)
        {
            dimensions.Add(new CdrDimension(CdrDimensionType.ReservationTime, hours));
        }
        else
        {
            if (_periodCharging || _periodEnergy != 0)
            {
                dimensions.Add(new CdrDimension(CdrDimensionType.Energy, _periodEnergy));
            }
            dimensions.Add(new CdrDimension(_periodCharging ? CdrDimensionType.Time : CdrDimensionType.ParkingTime, hours));
            if (_periodMinCurrent is { } minA)
            {
                dimensions.Add(new CdrDimension(CdrDimensionType.MinCurrent, minA));
                dimensions.Add(new CdrDimension(CdrDimensionType.MaxCurrent, _periodMaxCurrent!.Value));
            }
            if (_periodMinPower is { } minP)
            {
                dimensions.Add(new CdrDimension(CdrDimensionType.MinPower, minP));
                dimensions.Add(new CdrDimension(CdrDimensionType.MaxPower, _periodMaxPower!.Value));
            }
        }
        _periods.Add(new ChargingPeriod
        {
            StartDateTime = new DateTimeOffset(_periodStart, TimeSpan.Zero),
            Dimensions = dimensions,
            TariffId = _pricer.Tariff.Id,
        });
        _periodEnergy = 0;
        _periodTicks = 0;
        _periodMinCurrent = _periodMaxCurrent = _periodMinPower = _periodMaxPower = null;
    }

    private PricedSession Finish()
    {
        var rule = _pricer.Options.StepSize;
        var n = _elements.Length;
        var billedEnergy = (decimal[])_energy.Clone();
        var billedTime = (long[])_timeTicks.Clone();
        var billedParking = (long[])_parkingTicks.Clone();
        var billedReservation = (long[])_reservationTicks.Clone();
        var notes = new string?[n * 6];

        if (rule == StepSizeRule.SessionTotalWithLastComponent)
        {
            RoundEnergyTotal(billedEnergy, notes);
            if (_pricer.Options.RoundTimeAndParkingSeparately)
            {
                RoundTicksTotal(_timeTicks, billedTime, _lastTimeElement, DimTime, e => e.Time, notes);
                RoundTicksTotal(_parkingTicks, billedParking, _lastParkingElement, DimParking, e => e.Parking, notes);
            }
            else if (_lastTimeBasedDimension == DimTime)
            {
                RoundTicksTotal(_timeTicks, billedTime, _lastTimeElement, DimTime, e => e.Time, notes);
            }
            else if (_lastTimeBasedDimension == DimParking)
            {
                RoundTicksTotal(_parkingTicks, billedParking, _lastParkingElement, DimParking, e => e.Parking, notes);
            }
            RoundTicksTotal(_reservationTicks, billedReservation, _lastReservationElement, DimReservationTime, e => e.Time, notes);
        }
        else if (rule == StepSizeRule.EachComponentSeparately)
        {
            for (var i = 0; i < n; i++)
            {
                var el = _elements[i];
                if (el.Energy is { StepSize: > 0 } ec && _energy[i] > 0)
                {
                    billedEnergy[i] = CeilingToStep(_energy[i], ec.StepSize / 1000m);
                    notes[(i * 6) + DimEnergy] = $"step_size {ec.StepSize} Wh rounded this element's energy up";
                }
                billedTime[i] = CeilingToStep(_timeTicks[i], el.Time?.StepSize ?? 0);
                billedParking[i] = CeilingToStep(_parkingTicks[i], el.Parking?.StepSize ?? 0);
                billedReservation[i] = CeilingToStep(_reservationTicks[i], el.Time?.StepSize ?? 0);
            }
        }

        var lines = new List<PricingLine>(_firstUse.Count);
        decimal energyEx = 0, energyIn = 0, timeEx = 0, timeIn = 0, parkEx = 0, parkIn = 0, flatEx = 0, flatIn = 0, resEx = 0, resIn = 0;
        foreach (var key in _firstUse)
        {
            var i = key / 6;
            var dim = key % 6;
            var el = _elements[i];
            var note = notes[key];
            PricingLine line;
            switch (dim)
            {
                case DimEnergy:
                    line = Line(el, el.Energy!, PricingPhase.Session, _energy[i], billedEnergy[i], "kWh", "ENERGY", note);
                    energyEx += line.AmountExclVat;
                    energyIn += line.AmountInclVat;
                    break;
                case DimTime:
                    line = Line(el, el.Time!, PricingPhase.Session, Hours(_timeTicks[i]), Hours(billedTime[i]), "h", "TIME", note, billedTime[i]);
                    timeEx += line.AmountExclVat;
                    timeIn += line.AmountInclVat;
                    break;
                case DimParking:
                    line = Line(el, el.Parking!, PricingPhase.Session, Hours(_parkingTicks[i]), Hours(billedParking[i]), "h", "PARKING_TIME", note, billedParking[i]);
                    parkEx += line.AmountExclVat;
                    parkIn += line.AmountInclVat;
                    break;
                case DimFlat:
                    line = Line(el, el.Flat!, PricingPhase.Session, 1m, 1m, "session", "FLAT", note);
                    flatEx += line.AmountExclVat;
                    flatIn += line.AmountInclVat;
                    break;
                case DimReservationTime:
                    line = Line(el, el.Time!, PricingPhase.Reservation, Hours(_reservationTicks[i]), Hours(billedReservation[i]), "h", "TIME", note, billedReservation[i]);
                    resEx += line.AmountExclVat;
                    resIn += line.AmountInclVat;
                    break;
                default:
                    line = Line(el, el.Flat!, PricingPhase.Reservation, 1m, 1m, "session", "FLAT", note);
                    resEx += line.AmountExclVat;
                    resIn += line.AmountInclVat;
                    break;
            }
            lines.Add(line);
        }

        // NOTE: the totals a reader adds up. Each component total is rounded first (excl. and incl. VAT each on its own),
        // total_cost is the sum of the rounded components, then min_price and after it max_price bound that sum (and a
        // bound scaled to incl. VAT is rounded again). Rounding the exact total instead gave totals one cent off the
        // sum of the component totals printed beside it.
        var energy = Money(energyEx, energyIn);
        var time = Money(timeEx, timeIn);
        var parking = Money(parkEx, parkIn);
        var flat = Money(flatEx, flatIn);
        var reservation = Money(resEx, resIn);
        var totalEx = energy.ExclVat + time.ExclVat + parking.ExclVat + flat.ExclVat + reservation.ExclVat;
        var totalIn = energy.InclVat!.Value + time.InclVat!.Value + parking.InclVat!.Value + flat.InclVat!.Value + reservation.InclVat!.Value;
        var (limitedEx, limitedIn, minApplied, maxApplied) = ApplyLimits(totalEx, totalIn);
        var start = _session.Start;
        return new PricedSession
        {
            TariffId = _pricer.Tariff.Id,
            Currency = _pricer.Tariff.Currency,
            StartDateTime = _session.Reservation?.ReservedAt ?? start,
            EndDateTime = _session.End,
            TotalCost = Money(limitedEx, limitedIn),
            TotalCostBeforeLimits = new Price(totalEx, totalIn),
            TotalEnergyCost = energy,
            TotalTimeCost = time,
            TotalParkingCost = parking,
            TotalFixedCost = flat,
            TotalReservationCost = reservation,
            TotalEnergy = _totalEnergy,
            TotalTime = Hours(_session.End.UtcTicks - start.UtcTicks),
            TotalParkingTime = Hours(_totalParkingTicks),
            TotalReservationTime = Hours(_totalReservationTicks),
            MinPriceApplied = minApplied,
            MaxPriceApplied = maxApplied,
            ChargingPeriods = _periods,
            Breakdown = lines,
        };
    }

    private void RoundEnergyTotal(decimal[] billed, string?[] notes)
    {
        if (_lastEnergyElement == NoElement || _elements[_lastEnergyElement].Energy is not { StepSize: > 0 } component)
        {
            return;
        }
        decimal total = 0;
        foreach (var q in _energy)
        {
            total += q;
        }
        var rounded = CeilingToStep(total, component.StepSize / 1000m);
        var extra = rounded - total;
        billed[_lastEnergyElement] += extra;
        notes[(_lastEnergyElement * 6) + DimEnergy] = string.Create(CultureInfo.InvariantCulture,
            $"last ENERGY component of the session: its step_size {component.StepSize} Wh rounded the session's energy {total:0.######} kWh up to {rounded:0.######} kWh, +{extra:0.######} kWh billed here");
    }

    private void RoundTicksTotal(long[] consumed, long[] billed, int last, int dimension, Func<CompiledElement, PriceComponent?> component, string?[] notes)
    {
        if (last == NoElement || component(_elements[last]) is not { StepSize: > 0 } pc)
        {
            return;
        }
        long total = 0;
        for (var i = 0; i < consumed.Length; i++)
        {
            total += consumed[i];
        }
        var rounded = CeilingToStep(total, pc.StepSize);
        billed[last] += rounded - total;
        var what = dimension switch
        {
            DimTime => "charging time (TIME)",
            DimParking => "parking time (PARKING_TIME)",
            _ => "reservation time",
        };
        notes[(last * 6) + dimension] = string.Create(CultureInfo.InvariantCulture,
            $"last time-based component of the {(dimension == DimReservationTime ? "reservation" : "session")}: its step_size {pc.StepSize} s rounded the {what} total {TimeSpan.FromTicks(total)} up to {TimeSpan.FromTicks(rounded)}, +{TimeSpan.FromTicks(rounded - total)} billed here");
    }

    private static decimal CeilingToStep(decimal quantity, decimal step)
        => step <= 0 || quantity <= 0 ? quantity : Math.Ceiling(quantity / step) * step;

    private static long CeilingToStep(long ticks, int stepSeconds)
    {
        if (stepSeconds <= 0 || ticks <= 0)
        {
            return ticks;
        }
        var step = stepSeconds * TimeSpan.TicksPerSecond;
        return (ticks + step - 1) / step * step;
    }

    private static decimal Hours(long ticks) => (decimal)ticks / TimeSpan.TicksPerHour;

    private PricingLine Line(CompiledElement element, PriceComponent component, PricingPhase phase, decimal quantity, decimal billed, string unit, string dimensionName, string? stepNote, long? billedTicks = null)
    {
        // NOTE: time lines multiply before dividing by the hour (price × ticks / ticks-per-hour), so whole minutes at
        // whole-cent prices stay exact instead of inheriting the 28-digit rounding of the hour fraction.
        var amount = billedTicks is { } ticks ? component.Price * ticks / TimeSpan.TicksPerHour : component.Price * billed;
        var incl = component.Vat is { } vat ? amount + (amount * vat / 100m) : amount;
        var why = phase == PricingPhase.Reservation
            ? $"element #{element.Index + 1} ({element.DescribeRestrictions()}): first {(_expired ? "reservation or expired-reservation" : "reservation")} element with a {dimensionName} component whose restrictions matched"
            : dimensionName == "FLAT"
                ? $"element #{element.Index + 1} ({element.DescribeRestrictions()}): first element with a FLAT component that matched, charged once per session"
                : $"element #{element.Index + 1} ({element.DescribeRestrictions()}): first element with a {dimensionName} component whose restrictions matched";
        return new PricingLine
        {
            ElementIndex = element.Index,
            Dimension = component.Type,
            Phase = phase,
            Quantity = quantity,
            BilledQuantity = billed,
            Unit = unit,
            UnitPrice = component.Price,
            AmountExclVat = amount,
            VatPercent = component.Vat,
            AmountInclVat = incl,
            Reason = stepNote is null ? why : why + "; " + stepNote,
        };
    }

    /// <summary>mod_tariffs Tariff object notes on min_price / max_price: the excl. and the incl. VAT bound both apply.</summary>
    private (decimal Excl, decimal Incl, bool Min, bool Max) ApplyLimits(decimal excl, decimal incl)
    {
        var tariff = _pricer.Tariff;
        bool min = false, max = false;
        if (tariff.MinPrice is { } low)
        {
            var newExcl = Math.Max(excl, low.ExclVat);
            var newIncl = low.InclVat is { } lowIncl ? Math.Max(incl, lowIncl) : Scale(incl, excl, newExcl);
            min = newExcl != excl || newIncl != incl;
            (excl, incl) = (newExcl, newIncl);
        }
        if (tariff.MaxPrice is { } high)
        {
            var newExcl = Math.Min(excl, high.ExclVat);
            var newIncl = high.InclVat is { } highIncl ? Math.Min(incl, highIncl) : Scale(incl, excl, newExcl);
            max = newExcl != excl || newIncl != incl;
            (excl, incl) = (newExcl, newIncl);
        }
        return (excl, incl, min, max);
    }

    private static decimal Scale(decimal incl, decimal oldExcl, decimal newExcl)
        => newExcl == oldExcl ? incl : oldExcl == 0 ? newExcl : incl * newExcl / oldExcl;

    private Price Money(decimal excl, decimal incl)
    {
        if (_pricer.Options.Rounding == MoneyRounding.None)
        {
            return new Price(excl, incl);
        }
        var d = _pricer.MoneyDecimals;
        return new Price(Math.Round(excl, d, MidpointRounding.AwayFromZero), Math.Round(incl, d, MidpointRounding.AwayFromZero));
    }
}
