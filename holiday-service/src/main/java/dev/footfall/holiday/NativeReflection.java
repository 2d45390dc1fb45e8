package dev.footfall.holiday;

import dev.footfall.holiday.model.Holiday;
import dev.footfall.holiday.model.Location;
import dev.footfall.holiday.model.LocationHolidays;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native build must keep for reflection because Quarkus cannot see it from the code: bodies sent inside a
 * {@code Response} or written by hand (problem documents, the cached holiday answers), and the holiday library's
 * classes, which it creates by name from its jollyday.properties and reads from XML with JAXB. Resources it reads are
 * listed in application.properties ({@code quarkus.native.resources.includes}).
 */
@RegisterForReflection(targets = {Location.class, LocationHolidays.class, Holiday.class},
        classNames = {
                "de.focus_shift.jollyday.core.impl.DefaultHolidayManager",
                "de.focus_shift.jollyday.core.impl.JapaneseBridgingHolidayManager",
                "de.focus_shift.jollyday.core.parser.impl.ChristianHolidayParser",
                "de.focus_shift.jollyday.core.parser.impl.EthiopianOrthodoxHolidayParser",
                "de.focus_shift.jollyday.core.parser.impl.FixedParser",
                "de.focus_shift.jollyday.core.parser.impl.FixedWeekdayBetweenFixedParser",
                "de.focus_shift.jollyday.core.parser.impl.FixedWeekdayInMonthParser",
                "de.focus_shift.jollyday.core.parser.impl.FixedWeekdayRelativeToFixedParser",
                "de.focus_shift.jollyday.core.parser.impl.IslamicHolidayParser",
                "de.focus_shift.jollyday.core.parser.impl.RelativeToEasterSundayParser",
                "de.focus_shift.jollyday.core.parser.impl.RelativeToFixedParser",
                "de.focus_shift.jollyday.core.parser.impl.RelativeToWeekdayInMonthParser",
                "de.focus_shift.jollyday.jaxb.JaxbConfigurationService",
                "de.focus_shift.jollyday.jaxb.mapping.ChristianHoliday",
                "de.focus_shift.jollyday.jaxb.mapping.ChristianHolidayType",
                "de.focus_shift.jollyday.jaxb.mapping.ChronologyType",
                "de.focus_shift.jollyday.jaxb.mapping.Configuration",
                "de.focus_shift.jollyday.jaxb.mapping.EthiopianOrthodoxHoliday",
                "de.focus_shift.jollyday.jaxb.mapping.EthiopianOrthodoxHolidayType",
                "de.focus_shift.jollyday.jaxb.mapping.Fixed",
                "de.focus_shift.jollyday.jaxb.mapping.FixedWeekdayBetweenFixed",
                "de.focus_shift.jollyday.jaxb.mapping.FixedWeekdayInMonth",
                "de.focus_shift.jollyday.jaxb.mapping.FixedWeekdayRelativeToFixed",
                "de.focus_shift.jollyday.jaxb.mapping.Holiday",
                "de.focus_shift.jollyday.jaxb.mapping.HolidayCycleType",
                "de.focus_shift.jollyday.jaxb.mapping.HolidayType",
                "de.focus_shift.jollyday.jaxb.mapping.Holidays",
                "de.focus_shift.jollyday.jaxb.mapping.IslamicHoliday",
                "de.focus_shift.jollyday.jaxb.mapping.IslamicHolidayType",
                "de.focus_shift.jollyday.jaxb.mapping.Month",
                "de.focus_shift.jollyday.jaxb.mapping.MoveableHoliday",
                "de.focus_shift.jollyday.jaxb.mapping.MovingCondition",
                "de.focus_shift.jollyday.jaxb.mapping.ObjectFactory",
                "de.focus_shift.jollyday.jaxb.mapping.RelativeToEasterSunday",
                "de.focus_shift.jollyday.jaxb.mapping.RelativeToFixed",
                "de.focus_shift.jollyday.jaxb.mapping.RelativeToWeekdayInMonth",
                "de.focus_shift.jollyday.jaxb.mapping.Source",
                "de.focus_shift.jollyday.jaxb.mapping.Sources",
                "de.focus_shift.jollyday.jaxb.mapping.Substituted",
                "de.focus_shift.jollyday.jaxb.mapping.Weekday",
                "de.focus_shift.jollyday.jaxb.mapping.When",
                "de.focus_shift.jollyday.jaxb.mapping.Which",
                "de.focus_shift.jollyday.jaxb.mapping.With"
        })
final class NativeReflection {

    private NativeReflection() {
    }
}
