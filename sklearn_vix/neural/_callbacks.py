"""skorch callbacks specialised for the window nets."""

from __future__ import annotations

from copy import deepcopy

from skorch.callbacks import EarlyStopping, GradientNormClipping
from torch.nn.utils import clip_grad_norm_


class _EarlyStoppingFromStart(EarlyStopping):
    """Early stopping whose first candidate is the net before training.

    With the highway set to the least-squares forecast, the untrained net *is* the linear
    model: training must beat it on the validation block to be kept. ``best_epoch_`` is 0
    when it is never beaten.
    """

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        super().on_train_begin(net, X=X, y=y, **kwargs)
        _, valid = net.get_split_datasets(X, y)
        if valid is None:
            return
        loss = net.dataset_loss(valid)
        # The bar an epoch must pass, as skorch sets it after an improving epoch
        # (valid_loss is minimised).
        change = self.threshold * loss if self.threshold_mode == "rel" else self.threshold
        self.dynamic_threshold_ = loss - change
        if self.load_best:
            self.best_model_weights_ = deepcopy(net.module_.state_dict())


class _GradientNormClipping(GradientNormClipping):
    """skorch's clipping, with the parameter list gathered once per fit, not per batch."""

    def on_train_begin(self, net, **kwargs):
        self.parameters_ = [parameter for _, parameter in net.get_all_learnable_params()]

    def on_grad_computed(self, net, named_parameters, **kwargs):
        clip_grad_norm_(self.parameters_, self.gradient_clip_value, self.gradient_clip_norm_type)

    def on_train_end(self, net, **kwargs):
        # The list holds the module's tensors: it must not travel in a pickle.
        self.parameters_ = None
