package com.enterprisehub.geo.spring;

import com.enterprisehub.geo.core.tenant.TenantContext;
import org.springframework.core.task.TaskDecorator;

/**
 * Carries the submitting thread's tenant to the thread that runs the task ({@link TenantContext#wrap(Runnable)}),
 * so {@code @Async} methods and Boot's task executor work for the tenant of the request that started them; a task
 * submitted with no tenant bound runs with none (and its data access fails closed). Boot composes it with the
 * host's own decorators. Stateless and thread-safe.
 */
public final class TenantTaskDecorator implements TaskDecorator {
    @Override
    public Runnable decorate(Runnable runnable) {
        return TenantContext.wrap(runnable);
    }
}
