package dev.footfall.holiday.service;

/** How an answer is written out (JSON, iCalendar); its rendered bytes are cached per format. */
public interface AnswerFormat {

    /** Tells formats apart in the cache key. */
    String name();

    byte[] render(HolidayQueryService.Answer answer);
}
