namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>The <c>date-time</c> format check on UTF-8 bytes, without parsing into a <see cref="DateTimeOffset"/>.</summary>
/// <remarks>
/// RFC 3339 §5.6: <c>date-fullyear "-" date-month "-" date-mday "T" time-hour ":" time-minute ":" time-second
/// [time-secfrac] time-offset</c>. Widened as <see cref="OcppSchemaValidator"/> documents: 't' or ' ' for 'T', 'z' for
/// 'Z', offsets <c>+hhmm</c> and <c>+hh</c>, and no offset at all.
/// </remarks>
internal static class DateTimeFormat
{
    public static bool IsValid(ReadOnlySpan<byte> value)
    {
        // yyyy-MM-ddTHH:mm:ss is 19 bytes.
        if (value.Length < 19
            || !TryDigits(value, 0, 4, out int year) || value[4] != '-'
            || !TryDigits(value, 5, 2, out int month) || value[7] != '-'
            || !TryDigits(value, 8, 2, out int day)
            || value[10] is not ((byte)'T' or (byte)'t' or (byte)' ')
            || !TryDigits(value, 11, 2, out int hour) || value[13] != ':'
            || !TryDigits(value, 14, 2, out int minute) || value[16] != ':'
            || !TryDigits(value, 17, 2, out int second))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        int i = 19;
        if (i < value.Length && value[i] == '.')
        {
            int digits = ++i;
            while (i < value.Length && char.IsAsciiDigit((char)value[i]))
            {
                i++;
            }

            if (i == digits)
            {
                return false;
            }
        }

        int offsetMinutes = 0;
        if (i == value.Length)
        {
            // No offset: not RFC 3339, but sent by chargers in the field; read as UTC.
        }
        else if (value[i] is (byte)'Z' or (byte)'z')
        {
            if (i + 1 != value.Length)
            {
                return false;
            }
        }
        else if (value[i] is (byte)'+' or (byte)'-')
        {
            int sign = value[i] == '-' ? -1 : 1;
            if (!TryDigits(value, i + 1, 2, out int offsetHours) || offsetHours > 23)
            {
                return false;
            }

            int offsetMinute = 0;
            int rest = value.Length - (i + 3);
            bool wellFormed = rest switch
            {
                0 => true,
                2 => TryDigits(value, i + 3, 2, out offsetMinute),
                3 => value[i + 3] == ':' && TryDigits(value, i + 4, 2, out offsetMinute),
                _ => false,
            };
            if (!wellFormed || offsetMinute > 59)
            {
                return false;
            }

            offsetMinutes = sign * ((offsetHours * 60) + offsetMinute);
        }
        else
        {
            return false;
        }

        // RFC 3339 §5.7: a leap second is only ever inserted at 23:59:60 UTC.
        if (second == 60)
        {
            int utcMinuteOfDay = ((((hour * 60) + minute - offsetMinutes) % 1440) + 1440) % 1440;
            return utcMinuteOfDay == (23 * 60) + 59;
        }

        return true;
    }

    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    private static bool TryDigits(ReadOnlySpan<byte> value, int start, int count, out int number)
    {
        number = 0;
        if (start + count > value.Length)
        {
            return false;
        }

        for (int i = start; i < start + count; i++)
        {
            int digit = value[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            number = (number * 10) + digit;
        }

        return true;
    }
}
