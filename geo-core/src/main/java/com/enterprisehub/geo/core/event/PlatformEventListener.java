package com.enterprisehub.geo.core.event;

/**
 * Receives platform events. Called synchronously on the thread that caused the event, after the
 * change is done; keep it quick and hand slow work to your own executor. An exception it throws is
 * logged and does not undo the change or stop other listeners.
 */
@FunctionalInterface
public interface PlatformEventListener {
    void onEvent(PlatformEvent event);
}
